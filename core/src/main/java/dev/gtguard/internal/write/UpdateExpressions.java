package dev.gtguard.internal.write;

import static dev.gtguard.internal.InputRules.NAME_PREFIX;
import static dev.gtguard.internal.InputRules.VALUE_PREFIX;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The placeholders and the update expression of a versioned update. The expression depends only on
 * its shape (how many attributes it sets and removes, and whether the item had a token to link as
 * the parent), so the common shapes are built once and reused.
 */
final class UpdateExpressions {
  /** Shapes kept: up to this many set attributes and removed attributes. */
  private static final int MAX_SETS = 16;

  private static final int MAX_REMOVES = 4;

  private static final String[] SET_NAMES = placeholders(NAME_PREFIX + "s");
  private static final String[] SET_VALUES = placeholders(VALUE_PREFIX + "s");
  private static final String[] REMOVE_NAMES = placeholders(NAME_PREFIX + "r");

  private static final AtomicReferenceArray<String> BUILT =
      new AtomicReferenceArray<>(MAX_SETS * MAX_REMOVES * 2);

  private UpdateExpressions() {}

  /** The name placeholder of the {@code i}-th set attribute. */
  static String setName(int i) {
    return i < SET_NAMES.length ? SET_NAMES[i] : NAME_PREFIX + "s" + i;
  }

  /** The value placeholder of the {@code i}-th set attribute. */
  static String setValue(int i) {
    return i < SET_VALUES.length ? SET_VALUES[i] : VALUE_PREFIX + "s" + i;
  }

  /** The name placeholder of the {@code j}-th removed attribute. */
  static String removeName(int j) {
    return j < REMOVE_NAMES.length ? REMOVE_NAMES[j] : NAME_PREFIX + "r" + j;
  }

  /**
   * {@code SET <each set attribute>, #gt_v = :gt_nv, #gt_t = :gt_nt[, #gt_p = :gt_et] [REMOVE <each
   * removed attribute>[, #gt_p]]}: the next version and token, and the parent token (the expected
   * token, or removed when the item had none).
   */
  static String of(int sets, int removes, boolean parentToken) {
    if (sets >= MAX_SETS || removes >= MAX_REMOVES) {
      return build(sets, removes, parentToken);
    }
    int shape = (sets * MAX_REMOVES + removes) * 2 + (parentToken ? 1 : 0);
    String expression = BUILT.get(shape);
    if (expression == null) {
      expression = build(sets, removes, parentToken);
      BUILT.set(shape, expression);
    }
    return expression;
  }

  private static String build(int sets, int removes, boolean parentToken) {
    StringBuilder set = new StringBuilder(96 + 24 * sets);
    set.append("SET ");
    for (int i = 0; i < sets; i++) {
      set.append(setName(i)).append(" = ").append(setValue(i)).append(", ");
    }
    set.append("#gt_v = :gt_nv, #gt_t = :gt_nt");
    List<String> removals = new ArrayList<>();
    for (int j = 0; j < removes; j++) {
      removals.add(removeName(j));
    }
    if (parentToken) {
      // :gt_et, the expected token, is set by the version condition
      set.append(", #gt_p = :gt_et");
    } else {
      removals.add("#gt_p");
    }
    if (!removals.isEmpty()) {
      set.append(" REMOVE ").append(String.join(", ", removals));
    }
    return set.toString();
  }

  /** {@code prefix + 0} to {@code prefix + 63}, built once. */
  private static String[] placeholders(String prefix) {
    String[] all = new String[64];
    for (int i = 0; i < all.length; i++) {
      all[i] = prefix + i;
    }
    return all;
  }
}
