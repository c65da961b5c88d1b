package dev.ricochet.server.engine.blocking;

import java.io.IOException;

/** One protocol spoken over a blocking connection, from its greeting to its end. One instance per connection. */
interface Session {

    /**
     * Serves the client until it closes its side, or until a drain finishes the connection.
     * Returning closes the connection.
     *
     * @throws IOException when the connection fails (a reset, or closed by the server)
     */
    void serve(BlockingConnection connection) throws IOException;
}
