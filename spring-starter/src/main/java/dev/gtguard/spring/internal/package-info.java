/**
 * Implementation of the Spring Boot starter. <b>Not API</b>: these classes are public only so that
 * the starter's packages can share them; they may change or disappear in any release, and
 * applications must not use them.
 */
package dev.gtguard.spring.internal;
