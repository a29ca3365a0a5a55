using System;
using System.IO;
using System.Linq;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Tests.Conformance;

/// <summary>Reads a pinned golden vector (Encoding/Golden/v&lt;format&gt;/&lt;name&gt;.hex) for the conformance suites.</summary>
internal static class GoldenFiles
{
    public static byte[] Bytes(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Encoding", "Golden", "v" + CrdtSerializer.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), name + ".hex");
        string hex = string.Concat(File.ReadAllLines(path).Where(l => !l.StartsWith('#'))).Replace(" ", string.Empty, StringComparison.Ordinal);
        return Convert.FromHexString(hex);
    }
}
