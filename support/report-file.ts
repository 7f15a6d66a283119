// A formatter that writes one file per run: when the run finishes, or, if Cucumber never starts it
// (a feature file that does not parse), when the formatters are closed. Every run leaves the file.
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';

export abstract class ReportFile extends Formatter {
  private written = false;

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
      this.onEnvelope(envelope);
      if (envelope.testRunFinished) this.write();
    });
  }

  /** Every message of the run, before the file is written. */
  protected onEnvelope(_envelope: Envelope): void {}

  /** The file's content. */
  protected abstract render(): string;

  override async finished(): Promise<void> {
    this.write();
    await super.finished();
  }

  private write(): void {
    if (this.written) return;
    this.written = true;
    this.log(this.render());
  }
}
