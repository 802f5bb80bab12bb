/**
 * The listener SPI: {@link dev.gtguard.spi.WriteListener} and the events it hears (successes,
 * conflicts, retries, give-ups, failovers, reroutes, lost writes).
 */
package dev.gtguard.spi;
