/**
 * The auto-configuration: {@link dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration} and its
 * metrics, health, stream-detection and Spring MVC parts, configured by {@link
 * dev.gtguard.spring.autoconfigure.GtguardProperties} ({@code gtguard.*}).
 */
package dev.gtguard.spring.autoconfigure;
