/**
 * Lost-write detection from DynamoDB Streams: a detector over one replica's records, a poller that
 * delivers what it finds and checkpoints its progress ({@link dev.gtguard.detect.CheckpointStore}),
 * a Lambda adapter, and a reconciler over the streams of all regions that keeps a bounded window.
 */
package dev.gtguard.detect;
