package io.hybridstorage.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.1 with {@link HttpServerCodec} (no aggregator). Each request is handed to a blocking
 * executor (up to 200 threads, as Jetty's default pool); the body reaches it as an InputStream fed
 * by the event loop with auto-read off, so a channel reads from the socket only when the handler
 * wants more (backpressure), and the response goes out through an OutputStream that waits while
 * the channel is not writable. This bridge is code the gateway would own.
 */
public final class NettyServer {
  private static final Object END = new Object();

  public static void main(String[] args) throws Exception {
    int port = Routes.port(args);
    ThreadPoolExecutor blocking = new ThreadPoolExecutor(200, 200, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>());
    blocking.allowCoreThreadTimeOut(true);
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup workers = new NioEventLoopGroup();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new Bridge(blocking));
          }
        });
    Channel server = bootstrap.bind("127.0.0.1", port).sync().channel();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close().syncUninterruptibly();
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      blocking.shutdown();
    }));
    System.out.println("netty listening on 127.0.0.1:" + port);
    server.closeFuture().sync();
  }

  /** One per channel: turns the codec's messages into one blocking call per request. */
  private static final class Bridge extends ChannelInboundHandlerAdapter {
    private final ExecutorService blocking;
    private Body current; // touched on the event loop only

    Bridge(ExecutorService blocking) {
      this.blocking = blocking;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        Body body = new Body(ctx);
        current = body;
        blocking.execute(() -> serve(ctx, request, body));
      }
      if (msg instanceof HttpContent content) {
        Body body = current;
        if (body == null || body.ended) {
          content.release();
        } else {
          if (content.content().isReadable()) {
            body.queue.add(content.content().retain());
          }
          if (content instanceof LastHttpContent) {
            body.ended = true;
            body.queue.add(END);
          }
          content.release();
        }
      } else if (!(msg instanceof HttpRequest)) {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Body body = current;
      if (body != null && !body.ended) {
        body.ended = true;
        body.queue.add(new IOException("connection closed"));
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest request, Body body) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      Exchange ex = new Exchange(ctx, request, body, keepAlive);
      try {
        Routes.handle(ex);
        body.drain();
        ex.finish();
      } catch (IOException | RuntimeException e) {
        System.err.println("netty: " + e);
        ctx.close();
      }
    }
  }

  /** The request body as a blocking stream; asks the channel for a read only when it runs dry. */
  private static final class Body extends InputStream {
    final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    final ChannelHandlerContext ctx;
    volatile boolean ended; // set on the event loop
    private ByteBuf head;
    private boolean done;

    Body(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (head == null || !head.isReadable()) {
        if (head != null) {
          head.release();
          head = null;
        }
        if (done) {
          return -1;
        }
        Object next = queue.poll();
        if (next == null) {
          ctx.read(); // backpressure: the socket is read only when the handler wants more
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
          }
        }
        if (next == END) {
          done = true;
        } else if (next instanceof IOException e) {
          done = true;
          throw e;
        } else {
          head = (ByteBuf) next;
        }
      }
      int n = Math.min(len, head.readableBytes());
      head.readBytes(b, off, n);
      return n;
    }

    void drain() throws IOException {
      byte[] skip = new byte[8192];
      while (read(skip, 0, skip.length) >= 0) {
        // discard what the route did not read, so the next request can be decoded
      }
    }
  }

  private static final class Exchange implements Routes.Exchange {
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final Body body;
    private final boolean keepAlive;
    private final QueryStringDecoder uri;
    private Out out;

    Exchange(ChannelHandlerContext ctx, HttpRequest request, Body body, boolean keepAlive) {
      this.ctx = ctx;
      this.request = request;
      this.body = body;
      this.keepAlive = keepAlive;
      this.uri = new QueryStringDecoder(request.uri());
    }

    @Override
    public String method() {
      return request.method().name();
    }

    @Override
    public String path() {
      return uri.rawPath();
    }

    @Override
    public String query() {
      return uri.rawQuery();
    }

    @Override
    public InputStream body() {
      return body;
    }

    @Override
    public OutputStream respond(int status, String contentType, long contentLength) {
      DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(status));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
      HttpUtil.setKeepAlive(response, keepAlive);
      ctx.write(response);
      out = new Out(ctx);
      return out;
    }

    /** After the route and the body drain: ends the response, then reads the next request. */
    void finish() throws IOException {
      if (out == null) {
        throw new IOException("route sent no response");
      }
      ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (keepAlive) {
        last.addListener((ChannelFutureListener) f -> {
          if (f.isSuccess()) {
            ctx.read();
          } else {
            ctx.close();
          }
        });
      } else {
        last.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  /** The response body: copies into pooled buffers, flushes every 64 KiB, waits while unwritable. */
  private static final class Out extends OutputStream {
    private final ChannelHandlerContext ctx;
    private int unflushed;

    Out(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      ByteBuf buf = ctx.alloc().buffer(len);
      buf.writeBytes(b, off, len);
      ChannelFuture f = ctx.write(new DefaultHttpContent(buf));
      unflushed += len;
      if (unflushed >= Routes.CHUNK) {
        ctx.flush();
        unflushed = 0;
      }
      if (!ctx.channel().isWritable()) {
        ctx.flush();
        unflushed = 0;
        try {
          f.sync();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException();
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }

    @Override
    public void close() {
      // the exchange's finish() writes the last content and flushes
    }
  }
}
