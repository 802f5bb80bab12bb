package dev.gtguard.enhanced;

/**
 * An entity class (or static schema) is annotated or tagged in a way this library cannot honour: a
 * version that is not a whole number, two version attributes, a home-region attribute the entity
 * does not have, the SDK's own version annotation on the same entity, a client that would drop the
 * {@link GlobalTablesExtension}. Thrown when the schema or the table is built, before anything is
 * written, with a message that says what to change.
 *
 * <pre>{@code
 * try {
 *   VersionedEntityTable<Customer> customers = extension.table(enhanced.table("customers", schema));
 * } catch (InvalidEntityException e) {
 *   // fix the entity class: e.getMessage() names the attribute and the rule
 * }
 * }</pre>
 */
public class InvalidEntityException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidEntityException(String message) {
    super(message);
  }

  public InvalidEntityException(String message, Throwable cause) {
    super(message, cause);
  }
}
