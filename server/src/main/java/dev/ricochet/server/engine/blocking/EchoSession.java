package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.echo.EchoStateMachine;
import dev.ricochet.server.metrics.CloseReason;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;

/**
 * The echo protocol on a blocking socket: each read is answered in place and written back
 * before the next read, so a client that does not read stops being read (the blocking
 * write is the back-pressure).
 */
final class EchoSession implements Session {

    /** Small: a thread-per-connection server holds one per client. */
    private static final int BUFFER_BYTES = 8 * 1024;
    private static final byte[] GREETING = {EchoStateMachine.GREETING};

    private final EchoStateMachine machine = new EchoStateMachine();
    private final Counter frames;

    EchoSession(Counter frames) {
        this.frames = frames;
    }

    @Override
    public void serve(BlockingConnection connection) throws IOException {
        connection.write(GREETING, 0, 1);
        byte[] buffer = new byte[BUFFER_BYTES];
        while (true) {
            if (!connection.mayRead(!machine.inFrame())) {
                connection.finish(CloseReason.DRAINED);
                return;
            }
            int n = connection.read(buffer);
            if (!connection.stillServing()) {
                connection.finish(CloseReason.DRAINED);
                return;
            }
            if (n < 0) {
                return; // half-closed: every answer is already written
            }
            if (connection.draining()) {
                // Only a frame already under way is finished; what follows its '$' is not answered.
                if (!machine.inFrame()) {
                    connection.finish(CloseReason.DRAINED);
                    return;
                }
                answer(connection, buffer, lengthToFrameEnd(buffer, n));
                if (!machine.inFrame()) {
                    connection.finish(CloseReason.DRAINED);
                    return;
                }
            } else {
                answer(connection, buffer, n);
            }
        }
    }

    private void answer(BlockingConnection connection, byte[] buffer, int length) throws IOException {
        long framesBefore = machine.framesOpened();
        int answered = machine.accept(buffer, 0, length, buffer, 0);
        if (machine.framesOpened() > framesBefore) {
            frames.increment(machine.framesOpened() - framesBefore);
        }
        if (answered > 0) {
            connection.write(buffer, 0, answered);
        }
    }

    /** How many of the bytes belong to the frame open before them, its closing '$' included. */
    private int lengthToFrameEnd(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '$') {
                return i + 1;
            }
        }
        return length;
    }
}
