using System;
using System.Net.WebSockets;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sync.Crdt.Protocol;
using Sync.Crdt.Server.Hosting;

namespace Sync.Crdt.Server;

/// <summary>Maps the sync endpoint.</summary>
public static class CrdtSyncEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the WebSocket sync endpoint at <paramref name="pattern"/> (for example <c>/sync</c>). Requests that are not
    /// WebSocket upgrades get 400. The endpoint honours the application's authentication and authorization: chain
    /// <c>.RequireAuthorization()</c> on the result to reject anonymous upgrades with 401.
    /// </summary>
    /// <param name="endpoints">The endpoint builder (a <c>WebApplication</c>).</param>
    /// <param name="pattern">The route pattern.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapCrdtSync(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        // Graceful shutdown: every connection gets a ServerShutdown error and closes, so the host does not wait for them.
        DocumentRegistry registry = endpoints.ServiceProvider.GetRequiredService<DocumentRegistry>();
        endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(static state =>
        {
            foreach (SyncConnection connection in ((DocumentRegistry)state!).BeginShutdown())
            {
                connection.Fail(SyncErrorCode.ServerShutdown, "The server is stopping; reconnect later.");
            }
        }, registry);
        IApplicationBuilder builder = endpoints.CreateApplicationBuilder().UseWebSockets();
        builder.Run(HandleAsync);
        RequestDelegate pipeline = builder.Build();
        return endpoints.Map(pattern, pipeline).WithDisplayName("Sync.Crdt sync endpoint");
    }

    private static Task HandleAsync(HttpContext context) => AcceptAsync(context);

    private static async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint speaks the Sync.Crdt sync protocol over WebSockets.").ConfigureAwait(false);
            return;
        }

        DocumentRegistry registry = context.RequestServices.GetRequiredService<DocumentRegistry>();
        if (registry.ShuttingDown)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        string? subprotocol = context.WebSockets.WebSocketRequestedProtocols.Contains(SyncProtocol.WebSocketSubprotocol) ? SyncProtocol.WebSocketSubprotocol : null;
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol, DangerousEnableCompression = false }).ConfigureAwait(false);
        var connection = new SyncConnection(socket, context, registry);
        await connection.RunAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
