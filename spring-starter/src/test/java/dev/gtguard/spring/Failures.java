package dev.gtguard.spring;

/** Test support for startup failures. */
final class Failures {
  private Failures() {}

  /** Every message of a failure and its causes, one per line. */
  static String messages(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }
}
