/** Micrometer meters for gtguard's write events, under {@code gtguard.*}. */
package dev.gtguard.spring.metrics;
