/**
 * Implementation of gtguard core. <b>Not API</b>: these classes are public only so that the
 * packages of this module can share them; they may change or disappear in any release, and other
 * modules (and users) must not use them.
 */
package dev.gtguard.internal;
