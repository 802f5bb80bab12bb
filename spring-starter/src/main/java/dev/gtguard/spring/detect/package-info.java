/** Lost-write detection on DynamoDB Streams, started and stopped with the application context. */
package dev.gtguard.spring.detect;
