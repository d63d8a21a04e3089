using System.Runtime.InteropServices;
using PovertyNews.Web.Media;

namespace PovertyNews.Tests.Media;

public class NativeHeapTests
{
    [Fact]
    public void KeepLargeBuffersMapped_OnLinuxWithGlibc_IsAccepted()
    {
        var glibc = OperatingSystem.IsLinux() && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);

        Assert.Equal(glibc, NativeHeap.KeepLargeBuffersMapped());
    }
}
