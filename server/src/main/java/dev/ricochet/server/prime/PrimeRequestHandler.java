package dev.ricochet.server.prime;

import dev.ricochet.server.connection.ConnectionErrors;
import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.connection.ReadGate;
import dev.ricochet.server.metrics.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayDeque;

/**
 * Answers one connection's requests in the order they came, although they are computed in
 * parallel: each request takes its place in a queue at once, and replies leave from the head
 * of the queue as soon as they, and all before them, are known. Everything here runs on the
 * connection's event loop; workers hand their answers back through it.
 *
 * <p>Two bounds keep one client from crowding out the others: it has at most
 * {@link PrimeService#maxInFlightPerConnection()} requests on the offload pool at a time
 * (the rest wait here and go to the pool as earlier ones finish), and a connection with
 * {@link #MAX_OUTSTANDING} unanswered requests stops being read until half are answered.
 *
 * <p>A request whose answer takes microseconds is answered here, on the event loop, up to
 * {@link #QUICK_PER_READ} per read batch; the others go to the offload pool.
 *
 * <p>During a drain the decoder reads no more requests; once every request read before is
 * answered, the conversation is finished ({@link Drain#finish}).
 */
final class PrimeRequestHandler extends ChannelInboundHandlerAdapter {

    static final int MAX_OUTSTANDING = 1024;
    /**
     * Requests of one read batch that may be tried on the event loop ({@link
     * PrimeService#quickAnswer}): at most about 130 microseconds of divisions per batch, so
     * that a client pipelining thousands of numbers cannot hold the event loop for long.
     */
    static final int QUICK_PER_READ = 64;
    /** Room for about a dozen replies; the buffer grows when more are ready at once. */
    private static final int BATCH_BUFFER_BYTES = 128;

    private final PrimeService service;
    private final ArrayDeque<PendingReply> inOrder = new ArrayDeque<>();
    private final ArrayDeque<PendingReply> notStarted = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int inPool;
    private boolean closeWhenAnswered;
    private boolean finishWhenAnswered;
    private boolean backlogged;
    private boolean writeScheduled;
    private int quickLeft = QUICK_PER_READ;

    PrimeRequestHandler(PrimeService service) {
        this.service = service;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inOrder.add(replyTo((PrimeRequest) msg));
        if (inOrder.size() >= MAX_OUTSTANDING && !backlogged) {
            backlogged = true;
            ReadGate.close(ctx.channel(), ReadGate.Reason.BACKLOG);
        }
    }

    private PendingReply replyTo(PrimeRequest request) {
        PrimeReply rejection = request.rejection();
        if (rejection != null) {
            if (rejection.closesConnection()) {
                closeWhenAnswered = true;
                CloseReason.ERROR.markOn(ctx.channel()); // the server ends it, over a protocol error
            }
            return PendingReply.answered(rejection);
        }
        PrimeReply cached = service.cached(request.number());
        if (cached != null) {
            return PendingReply.answered(cached);
        }
        if (quickLeft > 0) {
            quickLeft--;
            PrimeReply quick = service.quickAnswer(request.number());
            if (quick != null) {
                return PendingReply.answered(quick);
            }
        }
        PendingReply pending = new PendingReply(request.number(), service, this);
        if (inPool < service.maxInFlightPerConnection()) {
            start(pending);
        } else {
            notStarted.add(pending);
        }
        return pending;
    }

    private void start(PendingReply pending) {
        if (pending.start()) {
            inPool++;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        quickLeft = QUICK_PER_READ;
        writeAnswered();
        ctx.fireChannelReadComplete();
    }

    /** Called by a worker: the answer is set and written on the event loop. */
    void completeLater(PendingReply pending, PrimeReply answer) {
        ctx.executor().execute(() -> {
            pending.complete(answer);
            inPool--;
            while (inPool < service.maxInFlightPerConnection() && !notStarted.isEmpty()) {
                start(notStarted.poll());
            }
            // Answers that arrive together leave together: one write task, hence one flush,
            // behind the completions already queued on this event loop.
            if (!writeScheduled) {
                writeScheduled = true;
                ctx.executor().execute(() -> {
                    writeScheduled = false;
                    writeAnswered();
                });
            }
        });
    }

    private void writeAnswered() {
        // Every reply ready now goes into one pooled buffer of the transport's kind (direct for
        // epoll and io_uring): one outbound entry and no copy, however many replies there are.
        ByteBuf batch = null;
        for (PendingReply head; (head = inOrder.peek()) != null && head.reply() != null; ) {
            inOrder.poll();
            service.countReply(head.reply());
            if (batch == null) {
                batch = ctx.alloc().ioBuffer(BATCH_BUFFER_BYTES);
            }
            head.reply().writeTo(batch);
        }
        boolean wrote = batch != null;
        if (wrote) {
            ctx.write(batch, ctx.voidPromise());
        }
        if (backlogged && inOrder.size() <= MAX_OUTSTANDING / 2) {
            backlogged = false;
            ReadGate.open(ctx.channel(), ReadGate.Reason.BACKLOG);
        }
        if (closeWhenAnswered && inOrder.isEmpty()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (finishWhenAnswered && inOrder.isEmpty()) {
            Drain.finish(ctx); // flushes, then FIN; reading goes on to see the client close
        } else if (wrote) {
            ctx.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The client has sent its last request: answer everything, then close.
            closeWhenAnswered = true;
            writeAnswered();
        } else if (event == Drain.STARTED) {
            finishWhenAnswered = true;
            writeAnswered();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Nobody will read these answers: free the workers for other clients.
        for (PendingReply pending : inOrder) {
            pending.cancel();
        }
        inOrder.clear();
        notStarted.clear();
        ctx.fireChannelInactive();
    }

    /** Last in the pipeline: errors of the decoder and of the transport end here. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.close(ctx, cause);
    }
}
