using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace Sync.Ot.Tests;

/// <summary>A sequential editing trace from ../shared/traces/sequential (see SOURCES.md there): positions are code points.</summary>
public sealed class EditingTrace
{
    private static readonly ConcurrentDictionary<string, EditingTrace> Cache = new(StringComparer.Ordinal);

    private EditingTrace(string name, string startContent, string endContent, List<TextEdit[]> transactions)
    {
        Name = name;
        StartContent = startContent;
        EndContent = endContent;
        Transactions = transactions;
    }

    public string Name { get; }

    public string StartContent { get; }

    public string EndContent { get; }

    /// <summary>The transactions, each a list of patches applied one after another.</summary>
    public List<TextEdit[]> Transactions { get; }

    /// <summary>Loads (once per process) the trace at <paramref name="path"/> with a streaming JSON reader.</summary>
    public static EditingTrace Load(string path) => Cache.GetOrAdd(path, LoadUncached);

    private static EditingTrace LoadUncached(string path)
    {
        byte[] bytes;
        using (FileStream file = File.OpenRead(path))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var memory = new MemoryStream())
        {
            gzip.CopyTo(memory);
            bytes = memory.ToArray();
        }

        var reader = new Utf8JsonReader(bytes);
        string start = string.Empty;
        string end = string.Empty;
        var transactions = new List<TextEdit[]>();
        var patches = new List<TextEdit>();
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("startContent"u8))
            {
                reader.Read();
                start = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("endContent"u8))
            {
                reader.Read();
                end = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("txns"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("patches"u8))
                        {
                            patches.Clear();
                            Expect(ref reader, JsonTokenType.StartArray);
                            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
                            {
                                reader.Read();
                                int position = reader.GetInt32();
                                reader.Read();
                                int deleteCount = reader.GetInt32();
                                reader.Read();
                                string text = reader.GetString()!;
                                Expect(ref reader, JsonTokenType.EndArray);
                                patches.Add(new TextEdit(position, deleteCount, text));
                            }

                            transactions.Add(patches.ToArray());
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        string name = Path.GetFileName(path).Replace(".json.gz", string.Empty, StringComparison.Ordinal);
        return new EditingTrace(name, start, end, transactions);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new InvalidDataException($"Expected {type} at byte {reader.TokenStartIndex}, found {reader.TokenType}.");
        }
    }
}
