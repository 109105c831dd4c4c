using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace AutoNet.Data.Loading;

/// <summary>
/// Produces batches 0..count-1 on a dedicated thread into a bounded channel, <c>capacity</c> ahead of the reader.
/// Disposing it (or cancelling) stops the thread after the batch in hand and disposes every batch not taken, so
/// breaking out of an epoch leaks nothing. A failure on the thread is rethrown to the reader.
/// </summary>
internal sealed class BatchPrefetcher : IDisposable
{
    private readonly Channel<Batch> channel;
    private readonly CancellationTokenSource stop;
    private readonly Func<int, Batch> produce;
    private readonly int count;
    private readonly Thread thread;
    private bool disposed;

    public BatchPrefetcher(int count, int capacity, Func<int, Batch> produce, CancellationToken cancellationToken)
    {
        this.count = count;
        this.produce = produce;
        channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        thread = new Thread(Run) { IsBackground = true, Name = "AutoNet batch prefetch" };
        thread.Start();
    }

    /// <summary>Blocks for the next batch; false when all are delivered. Throws when cancelled or when producing failed.</summary>
    public bool TryTake(out Batch batch, CancellationToken cancellationToken)
    {
        var reader = channel.Reader;
        while (true)
        {
            // Checked first: once cancelled, nothing more is delivered even if batches are waiting.
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.TryRead(out batch!))
            {
                return true;
            }

            bool more;
            try
            {
                more = reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            if (!more)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return false;
            }
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        stop.Cancel();
        thread.Join();
        while (channel.Reader.TryRead(out var left))
        {
            left.Dispose();
        }

        stop.Dispose();
    }

    private void Run()
    {
        var writer = channel.Writer;
        var token = stop.Token;
        try
        {
            for (var i = 0; i < count; i++)
            {
                token.ThrowIfCancellationRequested();
                var batch = produce(i);
                try
                {
                    while (!writer.TryWrite(batch))
                    {
                        if (!writer.WaitToWriteAsync(token).AsTask().GetAwaiter().GetResult())
                        {
                            batch.Dispose();
                            return;
                        }
                    }
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }
            }

            writer.TryComplete();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The reader stops on its own token (or has gone); a cancelled producer completes quietly.
            writer.TryComplete(new OperationCanceledException(token));
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }
}
