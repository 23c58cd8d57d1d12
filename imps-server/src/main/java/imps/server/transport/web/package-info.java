/**
 * The web client's port: static files of the browser app and WebSocket connections that carry IMPS
 * frames (docs/WEB.md). Each binary WebSocket message is exactly one frame; once upgraded, a
 * connection runs the same frame decoder, encoder and connection handler as a TCP one, which the
 * transport package appends through {@link imps.server.transport.web.TransportStages}.
 */
package imps.server.transport.web;
