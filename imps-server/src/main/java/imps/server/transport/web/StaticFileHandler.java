package imps.server.transport.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Answers the plain HTTP requests of a web connection from {@link WebAssets}: GET and HEAD only,
 * conditional requests by ETag (304), gzip when the client accepts it. Versioned files are cached
 * for a year as immutable; the index and the config are revalidated each time. Sharable.
 */
@ChannelHandler.Sharable
final class StaticFileHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";
  private static final String VERSIONED = "/s/";
  // Path segments of letters, digits, '_', '-', '.', never starting with a dot: no "..", no
  // hidden files, no encoded characters.
  private static final Pattern SAFE_PATH =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

  private final WebAssets assets;
  private final SecurityHeaders security;
  private final long maxOutputBytes;

  /**
   * @param maxOutputBytes bytes that may wait to be written to one client: a client that pipelines
   *     requests without reading their answers is closed past it
   */
  StaticFileHandler(WebAssets assets, SecurityHeaders security, long maxOutputBytes) {
    this.assets = assets;
    this.security = security;
    this.maxOutputBytes = maxOutputBytes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    String host = req.headers().get(HttpHeaderNames.HOST);
    if (!req.decoderResult().isSuccess()) {
      FullHttpResponse r = error(HttpResponseStatus.BAD_REQUEST, host);
      HttpUtil.setKeepAlive(r, false);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    HttpMethod method = req.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      FullHttpResponse r = error(HttpResponseStatus.METHOD_NOT_ALLOWED, host);
      r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, req, r);
      return;
    }
    String path = pathOf(req.uri());
    if (path.equals("/") || path.equals("/index.html")) {
      serve(ctx, req, assets.index(), REVALIDATE, host);
    } else if (path.equals("/config.json")) {
      serve(ctx, req, assets.config(), REVALIDATE, host);
    } else if (path.startsWith(VERSIONED)) {
      serveVersioned(ctx, req, path.substring(VERSIONED.length()), host);
    } else {
      send(ctx, req, error(HttpResponseStatus.NOT_FOUND, host));
    }
  }

  private void serveVersioned(
      ChannelHandlerContext ctx, FullHttpRequest req, String rest, String host) {
    int slash = rest.indexOf('/');
    String file = slash < 0 ? "" : rest.substring(slash + 1);
    Asset asset = SAFE_PATH.matcher(file).matches() ? assets.file(file) : null;
    if (asset == null) {
      send(ctx, req, error(HttpResponseStatus.NOT_FOUND, host));
      return;
    }
    // A page from an older build may still ask for its version: it gets today's file, uncached.
    boolean current = rest.substring(0, slash).equals(assets.version());
    serve(ctx, req, asset, current ? IMMUTABLE : REVALIDATE, host);
  }

  /** The request target's path, without query or fragment. */
  static String pathOf(String uri) {
    int end = uri.length();
    int q = uri.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int h = uri.indexOf('#');
    if (h >= 0 && h < end) {
      end = h;
    }
    return uri.substring(0, end);
  }

  private void serve(
      ChannelHandlerContext ctx, FullHttpRequest req, Asset asset, String cache, String host) {
    boolean gzip = asset.gzipped() != null && acceptsGzip(req.headers());
    String etag = gzip ? asset.gzipEtag() : asset.etag();
    FullHttpResponse r;
    if (matches(req.headers().get(HttpHeaderNames.IF_NONE_MATCH), asset)) {
      r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
    } else {
      byte[] body = gzip ? asset.gzipped() : asset.bytes();
      ByteBuf content =
          HttpMethod.HEAD.equals(req.method())
              ? Unpooled.EMPTY_BUFFER
              : Unpooled.wrappedBuffer(body);
      r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      if (gzip) {
        r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
      }
    }
    r.headers().set(HttpHeaderNames.ETAG, etag).set(HttpHeaderNames.CACHE_CONTROL, cache);
    if (asset.gzipped() != null) {
      r.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    }
    security.addTo(r.headers(), host);
    send(ctx, req, r);
  }

  /** Whether If-None-Match names either representation of {@code asset} (or is {@code *}). */
  static boolean matches(String ifNoneMatch, Asset asset) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(asset.etag()) || t.equals(asset.gzipEtag())) {
        return true;
      }
    }
    return false;
  }

  static boolean acceptsGzip(HttpHeaders headers) {
    String accept = headers.get(HttpHeaderNames.ACCEPT_ENCODING);
    if (accept == null) {
      return false;
    }
    for (String part : accept.toLowerCase(Locale.ROOT).split(",")) {
      String[] fields = part.trim().split(";");
      if (fields[0].trim().equals("gzip")) {
        for (int i = 1; i < fields.length; i++) {
          String f = fields[i].replace(" ", "");
          if (f.matches("q=0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** Bytes waiting in {@code ch}'s outbound buffer. */
  private static long pending(Channel ch) {
    ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
    return buf == null ? 0 : buf.totalPendingWriteBytes();
  }

  private FullHttpResponse error(HttpResponseStatus status, String host) {
    byte[] text =
        (status.code() + " " + status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(text));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    security.addTo(r.headers(), host);
    return r;
  }

  private void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
    Channel ch = ctx.channel();
    if (!ch.isActive() || !ch.isWritable() && pending(ch) > maxOutputBytes) {
      // Pipelined requests whose answers the client does not read (each answer is copied to
      // direct memory as it is written): closed as a session's connection is past the limit.
      r.release();
      ch.close();
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(r, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(r, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
