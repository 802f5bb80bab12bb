package dev.gtguard.enhanced.internal;

import dev.gtguard.enhanced.HomeRegionResolver;

/**
 * Where an entity's writes go: the attribute naming the home region, or a resolver; exactly one is
 * non-null.
 */
public record HomeSpec(String attribute, HomeRegionResolver resolver, String declaredBy) {}
