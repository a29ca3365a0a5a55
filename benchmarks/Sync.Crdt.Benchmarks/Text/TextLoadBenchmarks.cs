using System;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Text;

namespace Sync.Crdt.Benchmarks.Text;

/// <summary>
/// Loading a 1 MB text document from its encoded state, as a store holds it, beside the floor in the same run: copying
/// the stored bytes into memory and materializing the document's text once (UTF-8 to a string), which any loader must
/// at least do. The document is built by 16,384 inserts of 64 characters at pseudo-random positions with a delete of
/// 16 characters after every eighth insert, so its state holds many split items, as an edited document does.
/// </summary>
public class TextLoadBenchmarks
{
    private byte[] _stored = null!;
    private byte[] _contentUtf8 = null!;

    /// <summary>Builds the document and its encoded state; checks that loading reproduces the text.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var document = new TextDocument(new ReplicaId("writer"));
        var chunk = new char[64];
        for (int i = 0; i < 16_384; i++)
        {
            for (int c = 0; c < chunk.Length; c++)
            {
                chunk[c] = (char)('a' + random.Next(26));
            }

            chunk[^1] = i % 16 == 0 ? '\n' : ' ';
            document.Insert(random.Next(document.Length + 1), new string(chunk));
            if (i % 8 == 7)
            {
                document.Delete(random.Next(document.Length - 16), 16);
            }
        }

        _stored = document.EncodeStateAsUpdate().ToArray();
        string text = document.ToString();
        _contentUtf8 = System.Text.Encoding.UTF8.GetBytes(text);
        if (LoadAndRead() != text)
        {
            throw new InvalidOperationException("Loading the stored state does not reproduce the document.");
        }
    }

    /// <summary>Floor: copy the stored bytes into a fresh array and decode the document's UTF-8 text into a string.</summary>
    [Benchmark(Baseline = true)]
    public string CopyBytesAndDecodeText()
    {
        byte[] copy = new byte[_stored.Length];
        _stored.AsSpan().CopyTo(copy);
        return System.Text.Encoding.UTF8.GetString(_contentUtf8);
    }

    /// <summary>Loads the stored state into a fresh replica (the document in memory, ready to edit).</summary>
    [Benchmark]
    public TextDocument Load()
    {
        var fresh = new TextDocument(new ReplicaId("loader"));
        fresh.ApplyUpdate(_stored);
        return fresh;
    }

    /// <summary>Loads the stored state and reads the whole text once.</summary>
    [Benchmark]
    public string LoadAndRead()
    {
        var fresh = new TextDocument(new ReplicaId("loader"));
        fresh.ApplyUpdate(_stored);
        return fresh.ToString();
    }
}
