package dev.gtguard.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An HTTP client that answers every DynamoDB request at once, in-process, with a valid DynamoDB
 * JSON response, so that the real SDK client built on it runs its whole pipeline (marshalling,
 * endpoint resolution, SigV4 signing, interceptors, CRC32 check, unmarshalling) and only the
 * network and the server are left out.
 *
 * <p>It answers by the {@code X-Amz-Target} header: {@code UpdateItem} with {@code {"Attributes":
 * <item>}} (what {@code ReturnValues=ALL_NEW} returns), {@code GetItem} with {@code {"Item":
 * <item>}}, anything else with a 400 {@code UnknownOperationException}. The item is fixed at
 * construction: it checks no condition and stores nothing, so every update "succeeds" and returns
 * the same state. The responses are rendered once; each request body is read to its end (as a real
 * client writes it to the socket) into a reused buffer.
 */
final class StubDynamoDbHttpClient implements SdkHttpClient {
  private static final String JSON = "application/x-amz-json-1.0";

  private final Answer updateItem;
  private final Answer getItem;
  private final Answer unknown;
  private final ThreadLocal<byte[]> drain = ThreadLocal.withInitial(() -> new byte[8192]);
  private final LongAdder requests = new LongAdder();
  private volatile long lastRequestBytes;

  /** Answers with {@code stored} as the item each update leaves and each read finds. */
  StubDynamoDbHttpClient(Map<String, AttributeValue> stored) {
    String item = itemJson(stored);
    this.updateItem = new Answer(200, "{\"Attributes\":" + item + "}");
    this.getItem = new Answer(200, "{\"Item\":" + item + "}");
    this.unknown =
        new Answer(
            400,
            "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\","
                + "\"message\":\"the stub answers UpdateItem and GetItem only\"}");
  }

  /**
   * The real SDK client over {@code http}: fixed region, static credentials, every other setting
   * the SDK's default (its standard retry strategy never retries here: nothing fails).
   */
  static DynamoDbClient client(SdkHttpClient http, ExecutionInterceptor... interceptors) {
    DynamoDbClientBuilder builder =
        DynamoDbClient.builder()
            .region(Region.EU_WEST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDSTUBSTUBSTUBSTUB", "stub-secret-key")))
            .httpClient(http);
    if (interceptors.length > 0) {
      builder.overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)));
    }
    return builder.build();
  }

  /** Requests answered so far. */
  long requests() {
    return requests.sum();
  }

  /** The body size of the last request answered. */
  long lastRequestBytes() {
    return lastRequestBytes;
  }

  /** The body size of every UpdateItem answer. */
  int updateItemResponseBytes() {
    return updateItem.body.length;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        return answer(request);
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public String clientName() {
    return "stub";
  }

  @Override
  public void close() {}

  private HttpExecuteResponse answer(HttpExecuteRequest request) {
    request.contentStreamProvider().ifPresent(this::readToEnd);
    requests.increment();
    Optional<String> target = request.httpRequest().firstMatchingHeader("X-Amz-Target");
    String operation = target.map(t -> t.substring(t.indexOf('.') + 1)).orElse("");
    Answer answer =
        switch (operation) {
          case "UpdateItem" -> updateItem;
          case "GetItem" -> getItem;
          default -> unknown;
        };
    return answer.response();
  }

  private void readToEnd(ContentStreamProvider body) {
    byte[] buffer = drain.get();
    long bytes = 0;
    try (InputStream in = body.newStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        bytes += n; // and discarded, as by a socket
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lastRequestBytes = bytes;
  }

  /** One canned answer: status, headers (with DynamoDB's {@code x-amz-crc32}) and body. */
  private static final class Answer {
    private final SdkHttpResponse head;
    private final byte[] body;

    Answer(int status, String json) {
      this.body = json.getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(body);
      this.head =
          SdkHttpResponse.builder()
              .statusCode(status)
              .putHeader("Content-Type", JSON)
              .putHeader("Content-Length", Integer.toString(body.length))
              .putHeader("x-amzn-RequestId", "STUBSTUBSTUBSTUBSTUBSTUBSTUBSTUBSTUBSTUBSTUBSTUBSTUB")
              .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
              .build();
    }

    HttpExecuteResponse response() {
      return HttpExecuteResponse.builder()
          .response(head)
          .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
          .build();
    }
  }

  /** DynamoDB JSON of an item of strings and numbers, the only types the benchmark's items hold. */
  static String itemJson(Map<String, AttributeValue> item) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      AttributeValue v = e.getValue();
      out.append(out.length() > 1 ? "," : "");
      string(e.getKey(), out);
      switch (v.type()) {
        case S -> string(v.s(), out.append(":{\"S\":"));
        case N -> string(v.n(), out.append(":{\"N\":"));
        default -> throw new IllegalArgumentException("the stub renders S and N only: " + v);
      }
      out.append('}');
    }
    return out.append('}').toString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
