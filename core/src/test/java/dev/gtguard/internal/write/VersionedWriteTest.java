package dev.gtguard.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The expressions of each kind of write, built once and rendered both ways. */
class VersionedWriteTest {
  private static final TableDescription TABLE = TableDescription.of("subscribers", "pk");
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");
  private static final Route LOCAL = new Route("eu-west-1", null, null);
  private static final Route HOMED = new Route("eu-west-1", "home_region", null);

  @Test
  void update_setsChangesVersionTokenParent_conditionalOnVersionAndToken() {
    VersionedWrite write =
        VersionedWrite.update(
            TABLE,
            KEY,
            ExpectedVersion.of(5, "T5"),
            Changes.builder().set("plan", "pro").remove("trial").build(),
            "T6",
            LOCAL);

    UpdateItemRequest request = write.updateRequest();
    assertThat(request.updateExpression())
        .isEqualTo(
            "SET #gt_s0 = :gt_s0, #gt_v = :gt_nv, #gt_t = :gt_nt, #gt_p = :gt_et REMOVE #gt_r0");
    assertThat(request.conditionExpression()).isEqualTo("#gt_v = :gt_ev AND #gt_t = :gt_et");
    assertThat(request.expressionAttributeNames())
        .containsEntry("#gt_s0", "plan")
        .containsEntry("#gt_r0", "trial")
        .containsEntry("#gt_v", "version")
        .containsEntry("#gt_t", "write_token")
        .containsEntry("#gt_p", "parent_token");
    assertThat(request.expressionAttributeValues())
        .containsEntry(":gt_nv", AttributeValue.fromN("6"))
        .containsEntry(":gt_ev", AttributeValue.fromN("5"))
        .containsEntry(":gt_et", AttributeValue.fromS("T5"))
        .containsEntry(":gt_nt", AttributeValue.fromS("T6"));
    assertThat(request.returnValues()).isEqualTo(ReturnValue.ALL_NEW);
    assertThat(request.returnValuesOnConditionCheckFailure())
        .isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    assertThat(write.version()).isEqualTo(6);
    assertThat(write.parentToken()).isEqualTo("T5");
  }

  @Test
  void update_legacyItem_adoptedAtVersionZero_parentRemoved() {
    VersionedWrite write =
        VersionedWrite.update(
            TABLE,
            KEY,
            ExpectedVersion.versionOnly(0),
            Changes.builder().set("n", 1).build(),
            "T1",
            LOCAL);

    assertThat(write.updateRequest().conditionExpression())
        .isEqualTo(
            "attribute_exists(#gt_pk) AND (attribute_not_exists(#gt_v) OR #gt_v = :gt_ev)"
                + " AND attribute_not_exists(#gt_t)");
    assertThat(write.updateRequest().updateExpression()).endsWith("REMOVE #gt_p");
  }

  @Test
  void routedWrite_alsoConditionalOnTheHomeAttribute() {
    VersionedWrite write =
        VersionedWrite.delete(TABLE, KEY, ExpectedVersion.of(5, "T5"), "D", HOMED);

    assertThat(write.deleteRequest().conditionExpression())
        .isEqualTo("#gt_v = :gt_ev AND #gt_t = :gt_et AND #gt_h = :gt_h");
    assertThat(write.deleteRequest().expressionAttributeValues())
        .containsEntry(":gt_h", AttributeValue.fromS("eu-west-1"));
  }

  @Test
  void callersCondition_andedWithItsOwnPlaceholders() {
    VersionedWrite write =
        VersionedWrite.update(
            TABLE,
            KEY,
            ExpectedVersion.of(5, "T5"),
            Changes.builder()
                .set("plan", "pro")
                .condition(
                    "#s = :a", Map.of("#s", "status"), Map.of(":a", AttributeValue.fromS("A")))
                .build(),
            "T6",
            LOCAL);

    assertThat(write.updateRequest().conditionExpression())
        .isEqualTo("(#gt_v = :gt_ev AND #gt_t = :gt_et) AND (#s = :a)");
    assertThat(write.updateRequest().expressionAttributeNames()).containsEntry("#s", "status");
  }

  @Test
  void create_putsVersionOneAndToken_ifAbsent() {
    VersionedWrite write =
        VersionedWrite.create(TABLE, KEY, Map.of("pk", AttributeValue.fromS("sub#1")), "T1");

    assertThat(write.putRequest().item())
        .containsEntry("version", AttributeValue.fromN("1"))
        .containsEntry("write_token", AttributeValue.fromS("T1"));
    assertThat(write.putRequest().conditionExpression()).isEqualTo("attribute_not_exists(#gt_pk)");
    assertThat(write.changes().set()).containsOnlyKeys("pk");
  }

  @Test
  void transactItem_carriesTheSameExpressionsAsThePlainRequest() {
    VersionedWrite write =
        VersionedWrite.update(
            TABLE,
            KEY,
            ExpectedVersion.of(5, "T5"),
            Changes.builder().set("n", 1).build(),
            "T6",
            HOMED);

    TransactWriteItem item = write.transactItem();
    UpdateItemRequest plain = write.updateRequest();
    assertThat(item.update().updateExpression()).isEqualTo(plain.updateExpression());
    assertThat(item.update().conditionExpression()).isEqualTo(plain.conditionExpression());
    assertThat(item.update().expressionAttributeNames())
        .isEqualTo(plain.expressionAttributeNames());
    assertThat(item.update().expressionAttributeValues())
        .isEqualTo(plain.expressionAttributeValues());
    assertThat(item.update().returnValuesOnConditionCheckFailureAsString()).isEqualTo("ALL_OLD");
  }
}
