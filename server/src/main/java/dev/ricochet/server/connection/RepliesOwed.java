package dev.ricochet.server.connection;

/**
 * Implemented by a protocol's last handler when it can owe a reply while nothing moves on the
 * wire (a computation under way): such a connection is not idle ({@code --idle-timeout}).
 */
public interface RepliesOwed {

    /** Whether a request read is not answered yet (computed, or waiting to be written). */
    boolean owesReplies();
}
