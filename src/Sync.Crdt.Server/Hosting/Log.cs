using System;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Protocol;

namespace Sync.Crdt.Server.Hosting;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Sync connection from replica {Replica} opened")]
    public static partial void ConnectionOpened(ILogger logger, string replica);

    [LoggerMessage(2, LogLevel.Information, "Sync connection from replica {Replica} closed")]
    public static partial void ConnectionClosed(ILogger logger, string replica);

    [LoggerMessage(3, LogLevel.Warning, "Sync connection {Replica}: protocol error {Code}: {Message}")]
    public static partial void ProtocolError(ILogger logger, string replica, SyncErrorCode code, string message);

    [LoggerMessage(4, LogLevel.Warning, "Sync connection {Replica} dropped: its outgoing queue overflowed")]
    public static partial void SlowConsumer(ILogger logger, string replica);

    [LoggerMessage(5, LogLevel.Error, "Document {Document}: store failure; open channels are closed and the document is reloaded")]
    public static partial void StoreFailure(ILogger logger, string document, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "Document {Document} loaded ({Kind}, head {Head})")]
    public static partial void DocumentLoaded(ILogger logger, string document, DocumentKind kind, long head);

    [LoggerMessage(7, LogLevel.Debug, "Document {Document} unloaded after being idle")]
    public static partial void DocumentUnloaded(ILogger logger, string document);

    [LoggerMessage(8, LogLevel.Warning, "Sync connection {Replica} failed")]
    public static partial void ConnectionFailed(ILogger logger, string replica, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Document {Document}: {Step} failed; the channels stay open and the next batch or doorbell tries again")]
    public static partial void StoreRetry(ILogger logger, string document, string step, Exception exception);
}
