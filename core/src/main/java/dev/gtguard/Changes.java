package dev.gtguard;

import dev.gtguard.exception.ConditionNotMetException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The attributes one update sets and removes, and optionally a condition of the caller's own. Only
 * these attributes are written: an update never rewrites the whole item, so attributes another
 * writer changed meanwhile are not overwritten with stale values. Immutable.
 *
 * <pre>{@code
 * Changes changes = Changes.builder()
 *     .set("delivery_address", AttributeValue.fromS("221B Baker Street"))
 *     .remove("pending_address")
 *     .build();
 *
 * // or let the library work out what differs:
 * Changes diff = Changes.between(before.attributes(), after);
 * }</pre>
 *
 * <p>The condition's placeholders are the caller's own: they may be any names except those starting
 * with {@code #gt_} or {@code :gt_}, which the library uses for its version check.
 */
public final class Changes {
  private static final Changes NONE = new Builder().build();

  private final Map<String, AttributeValue> set;
  private final Set<String> remove;
  private final Condition condition;

  /** Takes the builder's collections; the builder copies them before it changes them again. */
  private Changes(Builder builder) {
    this.set =
        builder.set.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(builder.set);
    this.remove =
        builder.remove == null || builder.remove.isEmpty()
            ? Collections.emptySet()
            : Collections.unmodifiableSet(builder.remove);
    this.condition = builder.condition;
  }

  /** A builder with nothing to set or remove yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** No changes: an update that returns this writes nothing. */
  public static Changes none() {
    return NONE;
  }

  /**
   * The changes that turn {@code before} into {@code after}: every attribute that is new or has
   * another value is set, every attribute that is gone is removed.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Changes between(
      Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Builder builder = builder();
    after.forEach(
        (name, value) -> {
          if (!value.equals(before.get(name))) {
            builder.set(name, value);
          }
        });
    before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(builder::remove);
    return builder.build();
  }

  /** Attributes to set, unmodifiable. */
  public Map<String, AttributeValue> set() {
    return set;
  }

  /** Attribute names to remove, unmodifiable. */
  public Set<String> remove() {
    return remove;
  }

  /** The caller's own condition, ANDed with the version check, if any. */
  public Optional<Condition> condition() {
    return Optional.ofNullable(condition);
  }

  /** Whether there is nothing to set or remove. */
  public boolean isEmpty() {
    return set.isEmpty() && remove.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Changes other
        && set.equals(other.set)
        && remove.equals(other.remove)
        && Objects.equals(condition, other.condition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(set, remove, condition);
  }

  @Override
  public String toString() {
    return "Changes{set=" + set.keySet() + ", remove=" + remove + "}";
  }

  /**
   * A condition expression with its own placeholder maps, as DynamoDB takes them.
   *
   * @param expression e.g. {@code "#s = :active"}
   * @param names placeholder to attribute name, e.g. {@code "#s" -> "status"}
   * @param values placeholder to value, e.g. {@code ":active" -> S("ACTIVE")}
   */
  public record Condition(
      String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    public Condition {
      Objects.requireNonNull(expression, "expression");
      if (expression.isBlank()) {
        throw new IllegalArgumentException("condition expression must not be blank");
      }
      names = Map.copyOf(Objects.requireNonNull(names, "names"));
      values = Map.copyOf(Objects.requireNonNull(values, "values"));
    }
  }

  /**
   * Collects changes. A built {@code Changes} never changes: a builder used again after {@link
   * #build()} works on copies.
   */
  public static final class Builder {
    private Map<String, AttributeValue> set = new LinkedHashMap<>();
    private Set<String> remove; // created by the first remove
    private Condition condition;

    /** Whether a built {@code Changes} holds {@link #set} and {@link #remove}. */
    private boolean built;

    private Builder() {}

    /** Before changing anything after {@link #build()}: copies of what it handed over. */
    private void own() {
      if (built) {
        set = new LinkedHashMap<>(set);
        remove = remove == null ? null : new LinkedHashSet<>(remove);
        built = false;
      }
    }

    /**
     * Sets an attribute. A later {@code set} or {@code remove} of the same name replaces this one.
     *
     * @throws NullPointerException if an argument is null
     */
    public Builder set(String name, AttributeValue value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      own();
      if (remove != null) {
        remove.remove(name);
      }
      set.put(name, value);
      return this;
    }

    /** Sets a string attribute. */
    public Builder set(String name, String value) {
      return set(name, AttributeValue.fromS(Objects.requireNonNull(value, "value")));
    }

    /** Sets a number attribute. */
    public Builder set(String name, long value) {
      return set(name, AttributeValue.fromN(Long.toString(value)));
    }

    /**
     * Removes an attribute. A later {@code set} of the same name replaces this one.
     *
     * @throws NullPointerException if the name is null
     */
    public Builder remove(String name) {
      Objects.requireNonNull(name, "name");
      own();
      set.remove(name);
      if (remove == null) {
        remove = new LinkedHashSet<>();
      }
      remove.add(name);
      return this;
    }

    /**
     * Adds a condition of the caller's own, checked together with the version. If it is false while
     * the version matches, the update fails with {@link ConditionNotMetException} and is not
     * retried.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the expression is blank
     */
    public Builder condition(
        String expression, Map<String, String> names, Map<String, AttributeValue> values) {
      this.condition = new Condition(expression, names, values);
      return this;
    }

    public Changes build() {
      built = true;
      return new Changes(this);
    }
  }
}
