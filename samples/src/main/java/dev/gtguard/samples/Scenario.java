package dev.gtguard.samples;

import java.io.PrintStream;

/** One runnable demo scenario: explains itself and prints its {@code RESULT} lines. */
interface Scenario {

  /** The scenario's name in {@code RESULT scenario=<name>} lines and on the command line. */
  String name();

  void run(PrintStream out) throws Exception;
}
