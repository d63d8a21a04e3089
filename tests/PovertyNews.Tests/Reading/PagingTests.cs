using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Tests.Reading;

public class PagingTests
{
    [Theory]
    [InlineData(null, 1)]
    [InlineData(-1, 1)]
    [InlineData(0, 1)]
    [InlineData(3, 3)]
    public void Normalize_FallsBackToTheFirstPage(int? requested, int expected) =>
        Assert.Equal(expected, Paging.Normalize(requested));

    [Fact]
    public void PastTheEnd_IsDetectedBeforeSkipOverflows()
    {
        var paging = new Paging(int.MaxValue, 20, 45, "/channels/x");

        Assert.True(paging.IsBeyondEnd);
        Assert.Equal(3, paging.TotalPages);
    }

    [Fact]
    public void EmptyList_HasOnePage()
    {
        var paging = new Paging(1, 20, 0, "/channels/x");

        Assert.False(paging.IsBeyondEnd);
        Assert.Equal("/channels/x", paging.UrlFor(1));
        Assert.Equal("/channels/x?page=2", paging.UrlFor(2));
    }
}
