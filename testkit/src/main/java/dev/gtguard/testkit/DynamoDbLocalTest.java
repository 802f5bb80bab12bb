package dev.gtguard.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against embedded DynamoDB Local: test methods and constructors may take a
 * {@link LocalDynamoDb} or a {@link software.amazon.awssdk.services.dynamodb.DynamoDbClient}. One
 * server is started per JVM, on first use, and shared; give each test its own table with {@link
 * LocalDynamoDb#createTable(String, String)}.
 *
 * <pre>{@code
 * @DynamoDbLocalTest
 * class OrdersTest {
 *   @Test
 *   void stores(LocalDynamoDb ddb) {
 *     String table = ddb.createTable("orders", "pk");
 *     ...
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DynamoDbLocalExtension.class)
public @interface DynamoDbLocalTest {}
