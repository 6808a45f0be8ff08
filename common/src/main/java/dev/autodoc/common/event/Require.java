package dev.autodoc.common.event;

/**
 * Field checks for event records: a missing field is named, so a dead letter says what is wrong.
 */
final class Require {
  private Require() {}

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("field '" + field + "' is required");
    }
    return value;
  }

  static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' is required and must not be blank");
    }
    return value;
  }

  static int positive(int value, String field) {
    if (value < 1) {
      throw new IllegalArgumentException("field '" + field + "' must be at least 1, was " + value);
    }
    return value;
  }

  static int schemaVersion(int value) {
    if (value != AutodocEvent.SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "field 'schemaVersion' must be " + AutodocEvent.SCHEMA_VERSION + ", was " + value);
    }
    return value;
  }
}
