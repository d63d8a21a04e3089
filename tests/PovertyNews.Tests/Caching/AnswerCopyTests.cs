using System.Runtime.InteropServices;
using PovertyNews.Web.Caching;

namespace PovertyNews.Tests.Caching;

public class AnswerCopyTests
{
    // An entry as the output cache stores it: its own fields first, the body last.
    private static readonly byte[] Body = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] Entry = [.. new byte[] { 2, 9, 9, 9, 200, 1 }, .. Body];

    private static AnswerCopy Send(byte[]? entry, byte[] answer, int chunk)
    {
        var copy = new AnswerCopy(answer.Length, entry);
        for (var at = 0; at < answer.Length; at += chunk)
        {
            copy.Append(answer.AsSpan(at, Math.Min(chunk, answer.Length - at)));
        }
        return copy;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(300)]
    public void AnswerThatIsTheEntrysBody_IsTheEntrysOwnMemory_NotACopy(int chunk)
    {
        var copy = Send(Entry, Body, chunk);

        Assert.True(copy.Shared);
        Assert.Equal(Body, copy.Body.ToArray());
        Assert.True(MemoryMarshal.TryGetArray(copy.Body, out var segment));
        Assert.Same(Entry, segment.Array);
        Assert.Equal(Entry.Length - Body.Length, segment.Offset);
    }

    [Fact]
    public void EntryWhoseBodyIsNotLast_IsCopied_FromTheFirstDifference()
    {
        byte[] entry = [.. Entry, 0, 0, 0]; // a format with fields after the body
        var copy = new AnswerCopy(Body.Length, entry);

        var started = new List<bool>();
        for (var at = 0; at < Body.Length; at += 50)
        {
            started.Add(copy.Append(Body.AsSpan(at, 50)));
        }

        Assert.False(copy.Shared);
        Assert.Equal(Body, copy.Body.ToArray());
        Assert.Equal(1, started.Count(s => s));
    }

    [Fact]
    public void AnswerDifferingHalfWay_KeepsTheMatchingStartAndCopiesTheRest()
    {
        var answer = Body.ToArray();
        answer[200] ^= 0xFF;

        var copy = Send(Entry, answer, 64);

        Assert.False(copy.Shared);
        Assert.Equal(answer, copy.Body.ToArray());
    }

    [Fact]
    public void NoEntry_IsCopied()
    {
        var copy = Send(null, Body, 100);

        Assert.False(copy.Shared);
        Assert.Equal(Body, copy.Body.ToArray());
    }

    [Fact]
    public void MoreBytesThanTheContentLength_KeepNothing()
    {
        var copy = new AnswerCopy(Body.Length, Entry);
        copy.Append(Body);

        copy.Append([1]);

        Assert.True(copy.Overflowed);
        Assert.True(copy.Body.IsEmpty);
    }
}
