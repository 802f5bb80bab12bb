/** The {@code gtguard} Actuator health indicator: every region's tables, probed within a bound. */
package dev.gtguard.spring.health;
