package dev.flinkelt.config;

/**
 * A configuration or precondition problem the user must fix; the message names the key or setting
 * and the fix.
 */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
