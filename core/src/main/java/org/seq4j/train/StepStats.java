package org.seq4j.train;

/**
 * What one training step did.
 *
 * @param step the number of updates done, this one included
 * @param epoch the epoch the step's batch came from
 * @param loss the step's loss
 * @param learningRate the learning rate used by the update
 * @param gradNorm the global gradient norm before clipping
 * @param tokens tokens (or samples) in the step's batch
 * @param tokensPerSecond throughput over recent steps
 * @param elapsedSeconds time since this invocation of the loop started
 * @param totalSteps the step budget if known from steps or epochs, else -1
 */
public record StepStats(
    long step,
    long epoch,
    double loss,
    double learningRate,
    double gradNorm,
    long tokens,
    double tokensPerSecond,
    double elapsedSeconds,
    long totalSteps) {}
