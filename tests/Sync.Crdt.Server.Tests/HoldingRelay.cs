using System;
using System.Linq;
using System.Net;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Protocol;

namespace Sync.Crdt.Server.Tests;

/// <summary>
/// A WebSocket relay on a loopback port between one client and the sync server, for controlling frame order: it
/// forwards every frame, except that once the server sent a synced frame, the server's later frames are held until
/// <see cref="Release"/> (the client sees the synced frame, not yet the answer that follows it).
/// </summary>
internal sealed class HoldingRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HoldingRelay(WebApplication app, Uri uri)
    {
        _app = app;
        SyncUri = uri;
    }

    public Uri SyncUri { get; }

    /// <summary>Completes when a server frame after the synced frame is being held.</summary>
    public Task Holding => _holding.Task;

    public static async Task<HoldingRelay> StartAsync(Uri upstream)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.UseWebSockets();
        HoldingRelay? relay = null;
        app.Map("/sync", async (HttpContext context) =>
        {
            using WebSocket downstream = await context.WebSockets.AcceptWebSocketAsync(SyncProtocol.WebSocketSubprotocol);
            using var server = new ClientWebSocket();
            server.Options.AddSubProtocol(SyncProtocol.WebSocketSubprotocol);
            await server.ConnectAsync(upstream, context.RequestAborted);
            await relay!.PumpAsync(downstream, server);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        relay = new HoldingRelay(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/sync"));
        return relay;
    }

    /// <summary>Lets the held frames (and every later one) through.</summary>
    public void Release() => _released.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<byte[]?> ReceiveAsync(WebSocket socket)
    {
        byte[] buffer = new byte[1 << 20];
        int length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return buffer.AsSpan(0, length).ToArray();
            }
        }
    }

    private async Task PumpAsync(WebSocket client, WebSocket server)
    {
        Task up = Task.Run(async () =>
        {
            while (await ReceiveAsync(client) is { } frame)
            {
                await server.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        });
        Task down = Task.Run(async () =>
        {
            bool synced = false;
            while (await ReceiveAsync(server) is { } frame)
            {
                if (synced && !_released.Task.IsCompleted && FrameCodec.Decode(frame) is not PingFrame)
                {
                    _holding.TrySetResult();
                    await _released.Task;
                }

                synced |= FrameCodec.Decode(frame) is SyncedFrame;
                await client.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        });
        try
        {
            await Task.WhenAny(up, down);
        }
        catch (WebSocketException)
        {
        }

        client.Abort();
        server.Abort();
    }
}
