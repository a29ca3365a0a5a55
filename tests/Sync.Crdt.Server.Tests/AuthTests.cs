using System;
using System.Collections.Generic;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sync.Crdt.Client;
using Sync.Crdt.Protocol;

namespace Sync.Crdt.Server.Tests;

public sealed class AuthTests
{
    /// <summary>The endpoint requires a user; tokens are "user:NAME".</summary>
    private static Task<TestServer> StartAsync(Func<DocumentAuthorizationContext, DocumentAccess> policy) =>
        TestServer.StartAsync(
            o =>
            {
                o.AuthorizeDocument = context => ValueTask.FromResult(policy(context));
                o.AuthorizeReplica = static (user, replica) => replica.Value.StartsWith(user.Identity!.Name + "-", StringComparison.Ordinal);
            },
            services: s =>
            {
                s.AddAuthentication("token").AddScheme<AuthenticationSchemeOptions, TokenHandler>("token", null);
                s.AddAuthorization();
            },
            pipeline: app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
            },
            requireAuthorization: true);

    [Fact]
    public async Task NoToken_Unauthorized_ThenTokenProviderIsCalledAgainAndConnects()
    {
        await using TestServer server = await StartAsync(static _ => DocumentAccess.ReadWrite);
        int calls = 0;
        await using CrdtSyncClient client = server.CreateClient("alice-phone", o => o.TokenProvider = _ =>
            ValueTask.FromResult<string?>(Interlocked.Increment(ref calls) < 3 ? null : "user:alice"));
        var states = new List<ConnectionState>();
        client.StateChanged += (_, state) =>
        {
            lock (states)
            {
                states.Add(state);
            }
        };
        client.Start();
        await client.WaitForOnlineAsync().Within();
        Assert.True(calls >= 3);
        lock (states)
        {
            Assert.Contains(ConnectionState.Unauthorized, states);
        }
    }

    [Fact]
    public async Task ReplicaOfAnotherUser_Rejected()
    {
        await using TestServer server = await StartAsync(static _ => DocumentAccess.ReadWrite);
        await using CrdtSyncClient client = server.CreateClient("bob-laptop", o => o.TokenProvider = _ => ValueTask.FromResult<string?>("user:alice"));
        TextSyncDocument doc = await client.OpenTextAsync("doc");
        client.Start();
        await Task.Delay(500);
        Assert.NotEqual(ConnectionState.Online, client.State);
        Assert.Equal(0, client.ConnectionCount);
    }

    [Fact]
    public async Task UnauthorizedRead_ReturnsNothing()
    {
        await using TestServer server = await StartAsync(static c => c.User.Identity!.Name == "alice" ? DocumentAccess.ReadWrite : DocumentAccess.None);
        await using CrdtSyncClient alice = server.CreateClient("alice-1", o => o.TokenProvider = _ => ValueTask.FromResult<string?>("user:alice"));
        TextSyncDocument aliceDoc = await alice.OpenTextAsync("secret");
        alice.Start();
        await alice.WaitForOnlineAsync().Within();
        aliceDoc.Insert(0, "top secret");
        await aliceDoc.WaitForAcknowledgedAsync().Within();

        await using CrdtSyncClient eve = server.CreateClient("eve-1", o => o.TokenProvider = _ => ValueTask.FromResult<string?>("user:eve"));
        TextSyncDocument eveDoc = await eve.OpenTextAsync("secret");
        eve.Start();
        await Eventually.HoldsAsync(() => eveDoc.LastError == SyncErrorCode.ReadForbidden, () => $"eve's error: {eveDoc.LastError}");
        Assert.Equal(string.Empty, eveDoc.Text);
        Assert.False(eveDoc.IsSynced);
    }

    [Fact]
    public async Task UnauthorizedWrite_RejectedNothingStoredOrForwarded()
    {
        await using TestServer server = await StartAsync(static c => c.User.Identity!.Name == "alice" ? DocumentAccess.ReadWrite : DocumentAccess.Read);
        await using CrdtSyncClient alice = server.CreateClient("alice-1", o => o.TokenProvider = _ => ValueTask.FromResult<string?>("user:alice"));
        TextSyncDocument aliceDoc = await alice.OpenTextAsync("page");
        alice.Start();
        await alice.WaitForOnlineAsync().Within();
        aliceDoc.Insert(0, "v1");
        await aliceDoc.WaitForAcknowledgedAsync().Within();
        long head = (await server.Store.LoadAsync("page")).Head;

        await using CrdtSyncClient reader = server.CreateClient("rita-1", o => o.TokenProvider = _ => ValueTask.FromResult<string?>("user:rita"));
        TextSyncDocument readerDoc = await reader.OpenTextAsync("page");
        reader.Start();
        await Eventually.HoldsAsync(() => readerDoc.Text == "v1", () => readerDoc.Text);
        readerDoc.Insert(0, "vandal ");
        await Eventually.HoldsAsync(() => readerDoc.LastError == SyncErrorCode.WriteForbidden, () => $"reader's error: {readerDoc.LastError}");

        aliceDoc.Insert(2, "!");
        await aliceDoc.WaitForAcknowledgedAsync().Within();
        Assert.Equal("v1!", aliceDoc.Text);
        Assert.Equal(head + 1, (await server.Store.LoadAsync("page")).Head);
    }

    private sealed class TokenHandler : AuthenticationHandler<AuthenticationSchemeOptions>
    {
        public TokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
            : base(options, logger, encoder)
        {
        }

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer user:", StringComparison.Ordinal))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, header["Bearer user:".Length..])], "token");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "token")));
        }
    }
}
