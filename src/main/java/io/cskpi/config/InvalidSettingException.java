package io.cskpi.config;

/**
 * A setting that cannot be used: raised before any compute, naming the key, the value and what is allowed.
 * The CLI exits 2 for it, like for input that does not fit the data model: rerunning will not help.
 */
public class InvalidSettingException extends RuntimeException {
  public InvalidSettingException(String message) {
    super(message);
  }

  public InvalidSettingException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "key = value: must be ..." */
  public static InvalidSettingException of(String key, Object value, String allowed) {
    return new InvalidSettingException(key + " = " + value + ": " + allowed);
  }
}
