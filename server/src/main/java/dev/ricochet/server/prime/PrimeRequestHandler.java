package dev.ricochet.server.prime;

import dev.ricochet.server.connection.ConnectionErrors;
import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.connection.OrderlyClose;
import dev.ricochet.server.connection.ReadGate;
import dev.ricochet.server.connection.RepliesOwed;
import dev.ricochet.server.metrics.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Answers one connection's requests in the order they came, although they are computed in
 * parallel: each request takes its place in the {@link ReplyOrder} at once, and replies leave
 * from its head as soon as they, and all before them, are known. Everything here runs on the
 * connection's event loop; workers hand their answers back through it.
 *
 * <p>Two bounds keep one client from crowding out the others and from filling the heap: it
 * has at most {@link PrimeService#maxInFlightPerConnection()} requests on the offload pool at a
 * time, and at most {@link #MAX_OUTSTANDING} replies owed. When either is reached the
 * connection is <em>backlogged</em>: it is not read, and {@link PrimeRequestDecoder} decodes no
 * further request of what it has read (the few requests of the last chunk decoded that need a
 * worker wait here, a number each), until its requests on the pool are down again and half
 * its replies are sent. So a client that pipelines and never reads costs a few kilobytes.
 *
 * <p>A request whose answer takes microseconds is answered here, on the event loop, up to
 * {@link #QUICK_PER_READ} per read batch; the others go to the offload pool.
 *
 * <p>The connection ends once everything owed is sent: at once after a half-close (the client
 * sent its last request), or {@link OrderlyClose orderly} after a line too long and during a
 * drain, where the client may still be sending.
 */
final class PrimeRequestHandler extends ChannelInboundHandlerAdapter implements RepliesOwed, OffloadPool.Work {

    /** Replies owed before the connection stops being read and decoded; a byte each. */
    static final int MAX_OUTSTANDING = 1024;
    /**
     * Requests of one read batch that may be tried on the event loop ({@link
     * PrimeService#quickAnswer}): each try is cheap and bounded, and so is their number, so
     * that a client pipelining thousands of numbers cannot hold the event loop for long.
     */
    static final int QUICK_PER_READ = 64;
    /** Room for about a dozen replies; the buffer grows when more are ready at once. */
    private static final int BATCH_BUFFER_BYTES = 128;

    /** How the connection ends once it owes nothing. */
    private enum Ending { NOT_YET, CLOSE, FINISH_ORDERLY, DRAIN }

    private final PrimeService service;
    private final ReplyOrder replies = new ReplyOrder();
    /** Requests waiting for the connection's turn on the pool; allocated on the first. */
    private RequestQueue held;
    private OffloadPool.Lane lane;
    private PrimeRequestDecoder decoder;
    private ChannelHandlerContext ctx;
    private int inPool;
    private Ending ending = Ending.NOT_YET;
    private boolean ended;
    private boolean backlogged;
    private boolean resumeScheduled;
    private boolean writeScheduled;
    private int quickLeft = QUICK_PER_READ;

    PrimeRequestHandler(PrimeService service) {
        this.service = service;
    }

    /** The decoder in front, whose unread rest is decoded again once there is room. */
    void decodedBy(PrimeRequestDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Asked by the decoder before each chunk: whether it may decode more requests. False
     * stops reading too, until {@link #resumeWhenRoom} lets the decoder go on.
     */
    boolean wantsMore() {
        if (!backlogged && (replies.size() >= MAX_OUTSTANDING || (held != null && !held.isEmpty()))) {
            backlogged = true;
            ReadGate.close(ctx.channel(), ReadGate.Reason.BACKLOG);
        }
        return !backlogged;
    }

    /** Ends a backlog once the pool has taken every request held here and half the replies are sent. */
    private void resumeWhenRoom() {
        if (backlogged && !ended && replies.size() <= MAX_OUTSTANDING / 2 && (held == null || held.isEmpty())) {
            backlogged = false;
            ReadGate.open(ctx.channel(), ReadGate.Reason.BACKLOG);
            if (decoder != null && !resumeScheduled) {
                // What the decoder has read and not decoded yet: in a task of its own, so that
                // the requests it emits do not arrive in the middle of a completion or a write.
                resumeScheduled = true;
                ctx.executor().execute(() -> {
                    resumeScheduled = false;
                    decoder.resume();
                });
            }
        }
    }

    @Override
    public boolean owesReplies() {
        return replies.size() > 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PrimeRequest request = (PrimeRequest) msg;
        PrimeReply known = answerNow(request);
        int seq = replies.append(known);
        if (known == null) {
            offload(request.number(), seq);
        }
    }

    /** The reply when it is known without a worker, null when one has to compute it. */
    private PrimeReply answerNow(PrimeRequest request) {
        PrimeReply rejection = request.rejection();
        if (rejection != null) {
            if (rejection.closesConnection()) {
                ending = Ending.FINISH_ORDERLY;
                CloseReason.ERROR.markOn(ctx.channel()); // the server ends it, over a protocol error
            }
            return rejection;
        }
        PrimeReply cached = service.cached(request.number());
        if (cached != null) {
            return cached;
        }
        if (quickLeft > 0) {
            quickLeft--;
            PrimeReply quick = service.quickAnswer(request.number());
            if (quick != null) {
                return quick;
            }
        }
        if (!service.offloads()) {
            return service.computeNow(request.number()); // blocks the event loop: comparisons only
        }
        return null;
    }

    private void offload(long number, int seq) {
        if (inPool < service.maxInFlightPerConnection()) {
            submit(number, seq);
        } else {
            if (held == null) {
                held = new RequestQueue();
            }
            held.add(number, seq, 0);
        }
    }

    private void submit(long number, int seq) {
        if (lane == null) {
            lane = service.newLane(this);
        }
        if (service.trySubmit(lane, number, seq)) {
            inPool++;
        } else {
            replies.set(seq, PrimeReply.BUSY);
        }
    }

    @Override
    public long costNanos(long number) {
        return service.costEstimateNanos(number);
    }

    /** Runs on a worker: computes, and hands the reply to the event loop. */
    @Override
    public void compute(long number, int seq, long waitedNanos) {
        PrimeReply reply = service.computeOffloaded(number, waitedNanos);
        if (reply != null) {
            ctx.executor().execute(() -> completed(seq, reply));
        }
    }

    private void completed(int seq, PrimeReply reply) {
        if (ended) {
            return;
        }
        replies.set(seq, reply);
        inPool--;
        while (inPool < service.maxInFlightPerConnection() && held != null && !held.isEmpty()) {
            long number = held.headNumber();
            int next = held.headSeq();
            held.removeHead();
            submit(number, next);
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
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        quickLeft = QUICK_PER_READ;
        writeAnswered();
        ctx.fireChannelReadComplete();
    }

    private void writeAnswered() {
        if (ended) {
            return;
        }
        // Every reply ready now goes into one pooled buffer of the transport's kind (direct for
        // epoll and io_uring): one outbound entry and no copy, however many replies there are.
        // None while the outbound buffer is above its high-water mark: a reply waits here as a
        // byte rather than there as a buffer and an entry each.
        ByteBuf batch = null;
        for (PrimeReply reply; ctx.channel().isWritable() && (reply = replies.pollReady()) != null; ) {
            service.countReply(reply);
            if (batch == null) {
                batch = ctx.alloc().ioBuffer(BATCH_BUFFER_BYTES);
            }
            reply.writeTo(batch);
        }
        if (batch != null) {
            ctx.write(batch, ctx.voidPromise());
        }
        if (replies.size() == 0 && ending != Ending.NOT_YET) {
            end();
            return;
        }
        if (batch != null) {
            ctx.flush();
        }
        resumeWhenRoom();
    }

    /** Everything owed is written: the connection ends as it was asked to. */
    private void end() {
        ended = true;
        switch (ending) {
            case CLOSE -> ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            case FINISH_ORDERLY -> OrderlyClose.finish(ctx);
            case DRAIN -> Drain.finish(ctx);
            case NOT_YET -> throw new IllegalStateException("not ending");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writeAnswered(); // the replies kept while the client was not reading
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The client has sent its last request (the decoder has passed on every one of them
            // before this event): answer everything, then close. Nothing is left to read, so the
            // close cannot reset the connection.
            ending = Ending.CLOSE;
            writeAnswered();
        } else if (event == Drain.STARTED && ending == Ending.NOT_YET) {
            ending = Ending.DRAIN;
            writeAnswered();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Nobody will read these answers: free the workers for other clients.
        ended = true;
        if (lane != null) {
            service.close(lane);
        }
        replies.clear();
        if (held != null) {
            held.clear();
        }
        ctx.fireChannelInactive();
    }

    /** Last in the pipeline: errors of the decoder and of the transport end here. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.close(ctx, cause);
    }
}
