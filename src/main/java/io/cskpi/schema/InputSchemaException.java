package io.cskpi.schema;

/** Input that cannot be read as the canonical model: raised before any compute, names table and column. */
public class InputSchemaException extends RuntimeException {
  public InputSchemaException(String message) {
    super(message);
  }
}
