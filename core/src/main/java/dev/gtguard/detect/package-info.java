/**
 * Lost-write detection from DynamoDB Streams: a detector over one replica's records, a poller, a
 * Lambda adapter, and a reconciler over the streams of all regions.
 */
package dev.gtguard.detect;
