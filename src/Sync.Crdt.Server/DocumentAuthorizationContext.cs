using System;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;

namespace Sync.Crdt.Server;

/// <summary>What the per-document authorization callback decides about: the user, the client's replica, the document.</summary>
/// <remarks>Immutable. The callback runs once per opened channel, on the connection's thread.</remarks>
public sealed class DocumentAuthorizationContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="httpContext">The WebSocket request.</param>
    /// <param name="replica">The connection's replica id.</param>
    /// <param name="document">The document name.</param>
    /// <param name="kind">The document kind.</param>
    public DocumentAuthorizationContext(HttpContext httpContext, ReplicaId replica, string document, DocumentKind kind)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(document);
        HttpContext = httpContext;
        Replica = replica;
        Document = document;
        Kind = kind;
    }

    /// <summary>The WebSocket request (its <see cref="HttpContext.User"/> is the authenticated user).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The authenticated user.</summary>
    public ClaimsPrincipal User => HttpContext.User;

    /// <summary>The connection's replica id.</summary>
    public ReplicaId Replica { get; }

    /// <summary>The document name.</summary>
    public string Document { get; }

    /// <summary>The document kind.</summary>
    public DocumentKind Kind { get; }
}
