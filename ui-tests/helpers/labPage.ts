/**
 * What a user does in JupyterLab, as Playwright steps: open a file, wait for
 * the kernel, edit and run cells, save, use menus. Selectors are JupyterLab 4.6's.
 */
import { Locator, Page } from 'playwright-core';

export class LabPage {
  constructor(readonly page: Page) {}

  /** Opens a file through the /lab/tree URL and waits for the app to be ready. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('#jp-main-statusbar').waitFor({ timeout: 60000 });
  }

  /** The open notebook panel whose tab is current. */
  get notebook(): Locator {
    return this.page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
  }

  cell(index: number): Locator {
    return this.notebook.locator('.jp-Cell').nth(index);
  }

  /** Waits until the notebook's kernel is connected and idle. */
  async waitForKernelIdle(): Promise<void> {
    await this.page
      .locator('#jp-main-statusbar')
      .getByText(/\| Idle$/)
      .waitFor({ timeout: 90000 });
  }

  /** Replaces a cell's source, typed as one input (no auto-closed brackets). */
  async setCellSource(index: number, source: string): Promise<void> {
    const editor = this.cell(index).locator('.cm-content');
    await editor.click();
    await this.page.keyboard.press('Control+a');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(source);
  }

  /** Runs a cell in place (Ctrl+Enter: no new cell below) and waits for the kernel to finish. */
  async runCell(index: number): Promise<void> {
    await this.cell(index).locator('.cm-content').click();
    await this.page.keyboard.press('Control+Enter');
    await this.cell(index)
      .locator('.jp-InputPrompt')
      .filter({ hasText: /\[\d+\]/ })
      .waitFor();
    await this.waitForKernelIdle();
  }

  /** Adds a code cell at the end with the given source. */
  async appendCell(source: string): Promise<void> {
    const count = await this.notebook.locator('.jp-Cell').count();
    await this.cell(count - 1)
      .locator('.jp-InputPrompt')
      .click();
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('b');
    await this.notebook.locator('.jp-Cell').nth(count).waitFor();
    await this.setCellSource(count, source);
  }

  /** The sources of the notebook's cells, as the editor shows them. */
  async cellSources(): Promise<string[]> {
    return this.notebook.locator('.jp-Cell .cm-content').evaluateAll(nodes =>
      nodes.map(node =>
        Array.from(node.querySelectorAll('.cm-line'))
          .map(line => line.textContent ?? '')
          .join('\n')
      )
    );
  }

  /** Ctrl+S in the notebook, then waits until the document is no longer dirty. */
  async save(): Promise<void> {
    await this.notebook
      .locator('.jp-Notebook')
      .click({ position: { x: 5, y: 5 } });
    await this.page.keyboard.press('Control+s');
    await this.page
      .locator(
        '.jp-mod-current .jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty'
      )
      .waitFor({ state: 'detached' });
  }

  /** The current document's widget (notebook or editor). */
  get document(): Locator {
    return this.page.locator(
      '#jp-main-dock-panel .jp-Document:not(.lm-mod-hidden)'
    );
  }

  /** Clicks a toolbar button of the current document by command id. */
  async toolbarButton(command: string): Promise<void> {
    await this.document.locator(`jp-button[data-command="${command}"]`).click();
  }

  /** Opens a main menu and clicks entries along the path, e.g. ['Settings', 'Theme', 'JupyterLab Dark']. */
  async menu(path: string[]): Promise<void> {
    await this.page
      .locator('#jp-menu-panel .lm-MenuBar-itemLabel', { hasText: path[0] })
      .click();
    for (const label of path.slice(1)) {
      await this.page
        .locator('.lm-Menu:visible .lm-Menu-itemLabel')
        .getByText(label, { exact: true })
        .click();
    }
  }

  /** Runs a command from the command palette (Ctrl+Shift+C) by its label. */
  async palette(label: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+c');
    const input = this.page.locator('.jp-ModalCommandPalette input');
    await input.waitFor();
    await input.fill(label);
    await this.page
      .locator('.jp-ModalCommandPalette .lm-CommandPalette-item')
      .filter({ hasText: label })
      .first()
      .click();
  }

  /** Types into a field of a plugin's form in the settings editor (the form saves by itself). */
  async setSetting(
    pluginLabel: string,
    fieldId: string,
    value: string
  ): Promise<void> {
    await this.menu(['Settings', 'Settings Editor']);
    await this.page
      .locator('.jp-PluginList-entry-label-text')
      .getByText(pluginLabel, { exact: true })
      .click();
    const input = this.page.locator(`[id="${fieldId}"]`);
    await input.fill(value);
    await input.press('Tab');
  }

  /** The file browser's entry of a file. */
  fileItem(name: string): Locator {
    return this.page.locator('.jp-DirListing-item').filter({
      has: this.page
        .locator('.jp-DirListing-itemText')
        .getByText(name, { exact: true })
    });
  }

  /** Opens a text file from the file browser (double click); gives its editor's content, once shown. */
  async openTextFile(name: string): Promise<Locator> {
    await this.fileItem(name).dblclick();
    const editor = this.document.locator('.jp-FileEditor .cm-content');
    await editor.waitFor();
    return editor;
  }

  /** Right-clicks a file in the file browser and picks a context-menu entry. */
  async fileContextMenu(name: string, entry: string): Promise<void> {
    const item = this.fileItem(name);
    // The listing re-sorts as files appear: right-click again until the menu is for this file.
    for (let attempt = 1; ; attempt++) {
      await item.click({ button: 'right' });
      const selected = await item.evaluate(node =>
        node.classList.contains('jp-mod-selected')
      );
      if (selected) {
        break;
      }
      await this.page.keyboard.press('Escape');
      if (attempt === 3) {
        throw new Error(`Right-clicking ${name} does not select it`);
      }
    }
    await this.page
      .locator('.lm-Menu:visible .lm-Menu-itemLabel')
      .getByText(entry, { exact: true })
      .click();
  }

  /** Renames a file in the file browser (context menu, Rename, the new name, Enter) and waits for its new entry. */
  async renameFile(name: string, newName: string): Promise<void> {
    await this.fileContextMenu(name, 'Rename');
    const editor = this.page.locator('.jp-DirListing-editor');
    await editor.waitFor();
    await editor.fill(newName);
    await this.page.keyboard.press('Enter');
    await this.fileItem(newName).waitFor();
  }

  /** The main area's tab whose title has this text. */
  tab(title: string | RegExp): Locator {
    return this.page.locator('.lm-TabBar-tab', { hasText: title });
  }

  /** The visible dialog. */
  get dialog(): Locator {
    return this.page.locator('.jp-Dialog');
  }

  /** The git checkpoints status bar item's text. */
  get statusText(): Locator {
    return this.page.locator('.jp-gitCheckpoints-statusText');
  }
}
