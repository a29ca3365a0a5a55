namespace Sync.Ot.Tests;

/// <summary>The code sample of docs/ot.md, compiled and checked so that it never rots. Keep both in sync.</summary>
public class DocsSampleTests
{
    [Fact]
    public void Sample_ServerAndTwoClients_Converge()
    {
        // --- docs/ot.md sample begins ---
        var server = new OtServer(new DocumentSnapshot(0, "ABCDE"), historyLimit: 10_000);
        var alice = new OtClient("alice", server.Snapshot());
        var bob = new OtClient("bob", server.Snapshot());

        // Both edit revision 0 at the same time.
        ClientSubmission toServerFromAlice = alice.ApplyLocal(TextEdit.Delete(3, 1))!; // delete "D"
        ClientSubmission toServerFromBob = bob.ApplyLocal(TextEdit.Delete(1, 1))!;     // delete "B"

        // The server applies them in arrival order; Bob's is transformed over Alice's.
        RevisionedOperation first = server.Receive(toServerFromAlice).EnsureAccepted();
        RevisionedOperation second = server.Receive(toServerFromBob).EnsureAccepted();

        // Each author gets its acknowledgement, everyone else the broadcast, in revision order.
        alice.Acknowledge(first.Revision);
        bob.ApplyRemote(first);
        bob.Acknowledge(second.Revision);
        alice.ApplyRemote(second);

        // server.Document == alice.Document == bob.Document == "ACE"
        alice.Undo(); // puts Alice's "D" back where it now belongs: "ACDE" (send the returned submission)
        // --- docs/ot.md sample ends ---

        Assert.Equal("ACE", server.Document);
        Assert.Equal("ACDE", alice.Document);
        Assert.Equal("ACE", bob.Document);
    }
}
