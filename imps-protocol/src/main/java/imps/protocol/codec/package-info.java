/**
 * Frame codec: the 'O','K',length framing, one small read/write codec per command (registered by
 * CMDTYPE in {@link imps.protocol.codec.Codecs}), the modified UTF-8 string codec, and the typed
 * {@link imps.protocol.codec.DecodeError} that malformed input becomes.
 */
package imps.protocol.codec;
