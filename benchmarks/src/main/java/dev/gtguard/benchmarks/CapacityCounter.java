package dev.gtguard.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Asks DynamoDB for the capacity each call consumed and adds it up: sets {@code
 * ReturnConsumedCapacity=TOTAL} on every {@code GetItem}, {@code PutItem}, {@code UpdateItem} and
 * {@code TransactWriteItems} request a client sends, and sums the {@code ConsumedCapacity} of their
 * successful responses, write calls as write units and {@code GetItem} as read units. A response
 * without it (a server that does not report capacity) is counted apart, so that a total of zero can
 * be told from "not reported". Refused calls (an exception, no response) are not counted.
 */
final class CapacityCounter implements ExecutionInterceptor {
  private final DoubleAdder writeUnits = new DoubleAdder();
  private final DoubleAdder readUnits = new DoubleAdder();
  private final LongAdder reported = new LongAdder();
  private final LongAdder unreported = new LongAdder();

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
    if (request instanceof GetItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof PutItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof UpdateItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    } else if (request instanceof TransactWriteItemsRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    return request;
  }

  @Override
  public void afterUnmarshalling(
      Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
    SdkResponse response = context.response();
    if (response instanceof GetItemResponse r) {
      add(readUnits, r.consumedCapacity() == null ? null : List.of(r.consumedCapacity()));
    } else if (response instanceof PutItemResponse r) {
      add(writeUnits, r.consumedCapacity() == null ? null : List.of(r.consumedCapacity()));
    } else if (response instanceof UpdateItemResponse r) {
      add(writeUnits, r.consumedCapacity() == null ? null : List.of(r.consumedCapacity()));
    } else if (response instanceof TransactWriteItemsResponse r) {
      add(writeUnits, r.hasConsumedCapacity() ? r.consumedCapacity() : null);
    }
  }

  private void add(DoubleAdder units, List<ConsumedCapacity> consumed) {
    if (consumed == null || consumed.isEmpty()) {
      unreported.increment();
      return;
    }
    reported.increment();
    for (ConsumedCapacity c : consumed) {
      if (c.capacityUnits() != null) {
        units.add(c.capacityUnits());
      }
    }
  }

  /** Write capacity units reported since the last {@link #reset()}. */
  double writeUnits() {
    return writeUnits.sum();
  }

  /** Read capacity units reported since the last {@link #reset()}. */
  double readUnits() {
    return readUnits.sum();
  }

  /** Responses that carried consumed capacity since the last {@link #reset()}. */
  long reported() {
    return reported.sum();
  }

  /** Responses of the four operations that did not, since the last {@link #reset()}. */
  long unreported() {
    return unreported.sum();
  }

  void reset() {
    writeUnits.reset();
    readUnits.reset();
    reported.reset();
    unreported.reset();
  }
}
