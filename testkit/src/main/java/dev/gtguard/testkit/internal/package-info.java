/** Implementation of the testkit. <b>Not API</b>: may change in any release. */
package dev.gtguard.testkit.internal;
