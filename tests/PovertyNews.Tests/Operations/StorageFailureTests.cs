using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Operations.Failures;

namespace PovertyNews.Tests.Operations;

public sealed class StorageFailureTests
{
    [Fact]
    public void Recognize_FindsAFullDatabaseInsideEfCoresException()
    {
        var failure = StorageFailure.Recognize(new DbUpdateException("save failed",
            new SqliteException("SQLite Error 13: 'database or disk is full'.", SqliteErrors.Full)));

        Assert.Equal(new StorageFailure(StorageFailureKind.DiskFull, 13, 13), failure);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(261)] // SQLITE_BUSY_RECOVERY, as the backup API reports it
    [InlineData(517)] // SQLITE_BUSY_SNAPSHOT
    [InlineData(262)] // SQLITE_LOCKED_SHAREDCACHE
    public void Recognize_BusyAndLockedAreABusyDatabase(int code)
    {
        Assert.Equal(StorageFailureKind.DatabaseBusy, StorageFailure.Recognize(new SqliteException("busy", code))?.Kind);
    }

    [Theory]
    [InlineData(13)] // SQLITE_FULL
    [InlineData(10)] // SQLITE_IOERR
    [InlineData(4874)] // SQLITE_IOERR_SHMSIZE: a connection opened on a full disk cannot size its WAL index
    [InlineData(778)] // SQLITE_IOERR_WRITE
    public void Recognize_FullAndIoErrorsAreAStorageFailure(int code)
    {
        Assert.Equal(StorageFailureKind.DiskFull, StorageFailure.Recognize(new SqliteException("disk", code))?.Kind);
    }

    [Fact]
    public void Recognize_ANoSpaceIOExceptionIsAFullDisk()
    {
        var enospc = new IOException("No space left on device", 28);

        Assert.Equal(StorageFailureKind.DiskFull, StorageFailure.Recognize(new InvalidOperationException("wrapped", enospc))?.Kind);
    }

    [Fact]
    public void Recognize_OtherFailuresAreNotStorageFailures()
    {
        Assert.Null(StorageFailure.Recognize(new SqliteException("constraint", 19)));
        Assert.Null(StorageFailure.Recognize(new IOException("broken pipe", 32)));
        Assert.Null(StorageFailure.Recognize(new InvalidOperationException("bug")));
        Assert.Null(StorageFailure.Recognize(null));
    }
}
