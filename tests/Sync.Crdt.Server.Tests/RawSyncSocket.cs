using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;

namespace Sync.Crdt.Server.Tests;

/// <summary>A hand-driven protocol peer, for hostile-client tests.</summary>
internal sealed class RawSyncSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private RawSyncSocket()
    {
    }

    public static async Task<RawSyncSocket> ConnectAsync(Uri uri, string? replicaForHello = null)
    {
        var raw = new RawSyncSocket();
        await raw._socket.ConnectAsync(uri, CancellationToken.None);
        if (replicaForHello is not null)
        {
            await raw.SendAsync(new HelloFrame(SyncProtocol.Version, SyncCapabilities.All, new ReplicaId(replicaForHello)));
            Assert.IsType<WelcomeFrame>(await raw.ReceiveAsync());
        }

        return raw;
    }

    public Task SendAsync(SyncFrame frame) => SendRawAsync(FrameCodec.Encode(frame));

    public async Task SendRawAsync(byte[] bytes) =>
        await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Receives the next frame, or null when the server closed the connection.</summary>
    public async Task<SyncFrame?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        byte[] buffer = new byte[1 << 20];
        int length = 0;
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    return FrameCodec.Decode(buffer.AsSpan(0, length), buffer.Length);
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    /// <summary>Receives frames until one of type T arrives (skipping pings and the like).</summary>
    public async Task<T> ReceiveAsync<T>()
        where T : SyncFrame
    {
        while (true)
        {
            SyncFrame? frame = await ReceiveAsync();
            if (frame is T wanted)
            {
                return wanted;
            }

            Assert.True(frame is not null, $"The connection closed while waiting for {typeof(T).Name}.");
        }
    }

    /// <summary>Asserts that an error with the code arrives and (for connection errors) that the server then closes.</summary>
    public async Task ExpectErrorAsync(SyncErrorCode code)
    {
        ErrorFrame error = await ReceiveAsync<ErrorFrame>();
        Assert.Equal(code, error.Code);
        if ((int)code < 100)
        {
            while (await ReceiveAsync() is { } frame)
            {
                Assert.IsNotType<ErrorFrame>(frame);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        await Task.CompletedTask;
    }
}
