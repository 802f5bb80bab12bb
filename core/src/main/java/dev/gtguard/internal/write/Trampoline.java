package dev.gtguard.internal.write;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the steps of a write one after another without growing the stack: a step whose future is
 * already complete (always, on the blocking transport) is followed in the same loop; one that is
 * not resumes the loop when it completes, on the thread that completes it.
 */
final class Trampoline {
  private Trampoline() {}

  /**
   * @param step the next step; its future completes when the step is over
   * @param done whether the write has ended
   * @param failed ends the write with a step's failure
   */
  static void run(
      Supplier<CompletableFuture<Void>> step, BooleanSupplier done, Consumer<Throwable> failed) {
    try {
      while (!done.getAsBoolean()) {
        CompletableFuture<Void> next = step.get();
        if (!next.isDone()) {
          next.whenComplete(
              (ignored, error) -> {
                if (error != null) {
                  failed.accept(error);
                } else {
                  run(step, done, failed);
                }
              });
          return;
        }
        if (next.isCompletedExceptionally()) {
          next.exceptionally(
              error -> {
                failed.accept(error);
                return null;
              });
          return;
        }
      }
    } catch (Throwable e) {
      failed.accept(e);
    }
  }
}
