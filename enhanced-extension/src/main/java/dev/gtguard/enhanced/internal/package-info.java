/** Implementation of the Enhanced Client extension. <b>Not API</b>: may change in any release. */
package dev.gtguard.enhanced.internal;
