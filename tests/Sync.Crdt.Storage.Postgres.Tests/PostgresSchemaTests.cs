using System;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>Schema creation, version checks and option validation.</summary>
public class PostgresSchemaTests
{
    private readonly string _schema = PostgresTestDatabase.NewSchema();

    [Fact]
    public async Task Open_ManyNodesAtOnceOnAFreshSchema_AllSucceedAndShareOneSchema()
    {
        PostgresDocumentStore[] stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PostgresDocumentStore.OpenAsync(PostgresTestDatabase.Options(_schema, $"n{i}"))));
        try
        {
            await stores[0].CommitAsync(new DocumentCommit("doc") { Appends = [new byte[] { 7 }] });
            Assert.Equal(1, (await stores[5].LoadAsync("doc")).Head);
            Assert.Equal(PostgresSchema.CurrentVersion, await ScalarAsync<int>($"SELECT version FROM \"{_schema}\".schema_info"));
        }
        finally
        {
            foreach (PostgresDocumentStore store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Open_SchemaWrittenByANewerVersion_FailsAndLeavesItAlone()
    {
        await (await PostgresDocumentStore.OpenAsync(PostgresTestDatabase.Options(_schema))).DisposeAsync();
        await ScalarAsync<int>($"UPDATE \"{_schema}\".schema_info SET version = 99 RETURNING version");
        DocumentStoreException error = await Assert.ThrowsAsync<DocumentStoreException>(() => PostgresDocumentStore.OpenAsync(PostgresTestDatabase.Options(_schema)));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Equal(99, await ScalarAsync<int>($"SELECT version FROM \"{_schema}\".schema_info"));
    }

    [Fact]
    public async Task Open_UnreachableServer_ThrowsDocumentStoreException()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.RequiredConnectionString) { Port = 1, Timeout = 2 };
        await Assert.ThrowsAsync<DocumentStoreException>(() => PostgresDocumentStore.OpenAsync(new PostgresDocumentStoreOptions { ConnectionString = builder.ConnectionString, Schema = _schema }));
    }

    [Xunit.Theory]
    [Xunit.InlineData("")]
    [Xunit.InlineData("Upper")]
    [Xunit.InlineData("1starts_with_digit")]
    [Xunit.InlineData("has-dash")]
    [Xunit.InlineData("quote\"d")]
    [Xunit.InlineData("a_name_that_is_far_too_long_for_a_postgres_identifier_xx")]
    public void Validate_BadSchemaName_ThrowsArgumentException(string schema)
    {
        var options = new PostgresDocumentStoreOptions { ConnectionString = "Host=127.0.0.1", Schema = schema };
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(PostgresDocumentStoreOptions.Schema), error.ParamName);
    }

    [Xunit.Fact]
    public void Validate_MissingConnectionStringOrBadDelays_Throw()
    {
        Assert.Throws<ArgumentException>(new PostgresDocumentStoreOptions().Validate);
        Assert.Throws<ArgumentOutOfRangeException>(new PostgresDocumentStoreOptions { ConnectionString = "Host=x", ReconnectDelayMin = TimeSpan.FromSeconds(5), ReconnectDelayMax = TimeSpan.FromSeconds(1) }.Validate);
        Assert.Throws<ArgumentOutOfRangeException>(new PostgresDocumentStoreOptions { ConnectionString = "Host=x", NodeExpiry = TimeSpan.Zero }.Validate);
        new PostgresDocumentStoreOptions { ConnectionString = "Host=x" }.Validate();
    }

    private static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.RequiredConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
