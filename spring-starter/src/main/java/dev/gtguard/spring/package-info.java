/**
 * gtguard for Spring Boot: add {@code gtguard-spring-boot-starter}, set {@code gtguard.regions},
 * and inject {@link dev.gtguard.spring.GtguardOperations} or a {@code VersionedEntityTable<T>}.
 *
 * <ul>
 *   <li>{@link dev.gtguard.spring.GtguardOperations} / {@link dev.gtguard.spring.GtguardTemplate}:
 *       versioned writes by entity class;
 *   <li>{@link dev.gtguard.spring.GtguardTables}: one {@code VersionedEntityTable} per table and
 *       entity class;
 *   <li>extension points as beans: {@link dev.gtguard.spring.GtguardClientCustomizer}, {@link
 *       dev.gtguard.spring.GtguardTableCustomizer}, {@link
 *       dev.gtguard.spring.GtguardTableNameResolver}, and any {@code WriteListener}.
 * </ul>
 *
 * <p>The auto-configuration and its properties are in {@code dev.gtguard.spring.autoconfigure};
 * metrics, health, stream detection and problem details in their own packages. {@code
 * dev.gtguard.spring.internal} is not API.
 */
package dev.gtguard.spring;
