using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class TextEditTests
{
    [Fact]
    public void FromEdit_Insert_BuildsRetainInsertRetain()
    {
        TextOperation op = TextOperation.FromEdit(5, TextEdit.Insert(2, "xy"));

        Assert.Equal(
            new[] { OperationComponent.Retain(2), OperationComponent.Insert("xy"), OperationComponent.Retain(3) },
            op.Components.ToArray());
    }

    [Fact]
    public void FromEdit_Replace_DeletesThenInserts()
    {
        Assert.Equal("AxyE", TextOperation.FromEdit(5, new TextEdit(1, 3, "xy")).Apply("ABCDE"));
    }

    [Fact]
    public void FromEdit_PastTheEnd_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TextOperation.FromEdit(3, TextEdit.Insert(4, "x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextOperation.Delete(3, 2, 2));
    }

    [Fact]
    public void TextEdit_NegativeArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TextEdit.Insert(-1, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextEdit.Delete(0, -1));
        Assert.Throws<ArgumentNullException>(() => new TextEdit(0, 0, null!));
    }

    [Fact]
    public void ToEdits_ThenFromEdits_RoundTrips_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            IReadOnlyList<TextEdit> edits = c.A.ToEdits();
            Assert.Equal(c.A, TextOperation.FromEdits(c.A.BaseCodePointLength, edits));
        });
    }

    [Fact]
    public void ToEdits_AppliedOneByOne_MatchApply_ForRandomOperations()
    {
        PropertyCheck.ForAll(OtGenerators.Case, c =>
        {
            var buffer = new TextBuffer(c.Document);
            foreach (TextEdit edit in c.A.ToEdits())
            {
                buffer.Apply(edit);
            }

            Assert.Equal(c.A.Apply(c.Document), buffer.ToString());
        });
    }

    [Fact]
    public void ToEdits_InsertBeforeDelete_BecomesOneReplacingEdit()
    {
        TextOperation op = new TextOperationBuilder().Retain(1).Insert("x").Delete(2).Retain(1).Insert("!").ToOperation();

        Assert.Equal(new[] { new TextEdit(1, 2, "x"), TextEdit.Insert(3, "!") }, op.ToEdits());
    }

    [Fact]
    public void ToEdits_Identity_IsEmpty()
    {
        Assert.Empty(TextOperation.Identity(4).ToEdits());
    }

    [Fact]
    public void TextEdit_Equality_IsStructural()
    {
        EqualityAssert.Equal(new TextEdit(1, 2, "x"), new TextEdit(1, 2, "x"));
        EqualityAssert.NotEqual(new TextEdit(1, 2, "x"), new TextEdit(1, 2, "y"));
        EqualityAssert.NotEqual(TextEdit.Insert(1, "x"), TextEdit.Insert(2, "x"));
        Assert.Equal("[1, 2, \"x\"]", new TextEdit(1, 2, "x").ToString());
    }
}
