/** Batch jobs that run each item's update in its home region. */
package dev.gtguard.batch;
